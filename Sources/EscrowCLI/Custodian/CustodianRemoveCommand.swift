import ArgumentParser
import Escrow

/// `escrow custodian remove NAME --identity FILE`: removes a custodian who holds no shares.
struct CustodianRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a custodian from the roster (refused while they hold shares of a vault).",
        discussion: "The custodian's earlier signatures stay verifiable: the roster keeps former members."
    )

    @Argument(help: "The custodian's name.")
    var name: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(help: "Why the custodian is removed (recorded in the audit log).")
    var reason: String?

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let opened = try store.open()
            let actor = try identity.unlock()
            let record = try opened.removeCustodian(named: name, by: actor, reason: reason)
            opened.reportRecovery()
            Output.line("Removed custodian '\(name)' from the roster (audit record \(record.seq)).")
        }
    }
}
