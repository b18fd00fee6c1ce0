import ArgumentParser
import Escrow

/// `escrow custodian add PUBLIC-LINE|FILE --identity FILE`: adds a custodian to the roster.
struct CustodianAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a custodian to the store's roster (signed by you, a roster member).",
        discussion: "Compare the fingerprint printed here with the one the custodian sees in 'escrow custodian new'."
    )

    @Argument(
        help: ArgumentHelp("The custodian's public identity line, or a file holding it.", valueName: "public-line|file")
    )
    var publicIdentity: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(help: "Why the custodian is added (recorded in the audit log).")
    var reason: String?

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let newcomer = try PublicIdentityArgument.parse(publicIdentity)
            let opened = try store.open()
            let actor = try identity.unlock()
            let record = try opened.addCustodian(newcomer, by: actor, reason: reason)
            opened.reportRecovery()
            Output.line("Added custodian \(newcomer) to the roster (audit record \(record.seq)).")
        }
    }
}
