import ArgumentParser

/// `escrow bundle …`: the customer's side of a release.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Open an export bundle from a vault release (the customer's side).",
        subcommands: [BundleOpenCommand.self]
    )
}
