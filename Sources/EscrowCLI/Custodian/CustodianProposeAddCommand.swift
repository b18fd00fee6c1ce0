import ArgumentParser
import Escrow
import Platform

/// `escrow custodian propose add (PUBLIC-LINE | --public FILE) [--role R] --out change.json`.
struct CustodianProposeAddCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Write the addition of a member as a change file (nothing is signed or written to the store)."
    )

    @Argument(help: "The new member's public identity line.")
    var line: String?

    @Option(name: .customLong("public"), help: ArgumentHelp("A file holding the public line.", valueName: "file"))
    var publicFile: String?

    @Option(help: "custodian or depositor.")
    var role: MemberRole = .custodian

    @Option(help: ArgumentHelp("The change file to write (must not exist).", valueName: "file"))
    var out: String

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Checks the arguments before anything is read or asked.
    func validate() throws {
        guard (line == nil) != (publicFile == nil) else {
            throw ValidationError("give the new member's public line or --public FILE (exactly one)")
        }
    }

    /// Runs the command (see the type's documentation).
    func execute() throws {
        let record = try CustodianAddCommand.record(line: line, file: publicFile, role: role)
        guard !FileSystem.exists(out) else {
            throw CLIError("\(out) already exists; choose another file (nothing was written)")
        }
        let context = try store.open()
        let change = try context.ledger.rosterChange(add: [record], remove: [], quorum: nil)
        try CustodianProposeRemoveCommand.write(change, context: context, to: out, json: json)
    }
}
