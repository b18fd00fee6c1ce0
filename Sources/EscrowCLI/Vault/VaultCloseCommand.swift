import ArgumentParser
import Escrow

/// `escrow vault close VAULT --reason TEXT --identity F`.
struct VaultCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Mark a vault closed (the account was closed): everything is kept, unlocks need --force.",
        discussion: """
            No quorum is needed: closing reveals nothing and removes nothing. Deposits are refused afterwards, and \
            any unlock must be requested with --force and --force-reason, which the audit log records.
            """
    )

    @Argument(help: "The vault.")
    var vault: String

    @Option(help: "Why the vault is closed (recorded in the audit log).")
    var reason: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            try NameRules.validateVaultName(vault)
            let opened = try store.open()
            let actor = try identity.unlock()
            let (closed, record) = try opened.closeVault(named: vault, by: actor, reason: reason)
            opened.reportRecovery()
            Output.line(
                "Vault '\(closed.name)' closed: everything is kept; deposits are refused and unlocking it needs --force with a reason. Audit record \(record.seq)."
            )
        }
    }
}
