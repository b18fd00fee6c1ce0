import ArgumentParser

/// `escrow shamir …`: raw secret sharing of arbitrary bytes (ssss/gfsplit-style).
struct ShamirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shamir",
        abstract: "Split a secret into shares, or combine shares back into the secret.",
        subcommands: [ShamirSplitCommand.self, ShamirCombineCommand.self]
    )
}
