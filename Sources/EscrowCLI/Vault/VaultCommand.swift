import ArgumentParser

/// `escrow vault …`: key ceremonies, deposits, and what a vault holds.
struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract:
            "Create vaults (key ceremony), deposit credentials, list and show, release, re-split and close vaults.",
        subcommands: [
            VaultInitCommand.self, VaultListCommand.self, VaultShowCommand.self, VaultPutCommand.self,
            VaultReleaseCommand.self, VaultReshareCommand.self, VaultCloseCommand.self,
        ]
    )
}
