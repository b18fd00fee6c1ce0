import ArgumentParser

/// `escrow vault …`: vaults and their credentials.
struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Create vaults, deposit credentials, re-split, close, release.",
        subcommands: [
            VaultInitCommand.self, VaultAckCommand.self, VaultPutCommand.self, VaultListCommand.self,
            VaultShowCommand.self, VaultReshareCommand.self, VaultCloseCommand.self, VaultReopenCommand.self,
            VaultReleaseCommand.self,
        ]
    )
}
