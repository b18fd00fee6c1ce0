import ArgumentParser

/// `escrow vault …`: vaults and their credentials.
struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Create vaults, deposit credentials, re-split, close, release.",
        subcommands: []
    )
}
