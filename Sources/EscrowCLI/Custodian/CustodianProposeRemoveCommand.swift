import ArgumentParser
import Escrow
import Platform

/// `escrow custodian propose remove NAME --out change.json`.
struct CustodianProposeRemoveCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Write the removal of a member as a change file (refused while it holds shares of an active vault)."
    )

    @Argument(help: "The member to remove.", completion: StoreCompletion.members)
    var name: String

    @Option(help: ArgumentHelp("The change file to write (must not exist).", valueName: "file"))
    var out: String

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Runs the command (see the type's documentation).
    func execute() throws {
        guard !FileSystem.exists(out) else {
            throw CLIError("\(out) already exists; choose another file (nothing was written)")
        }
        let context = try store.open()
        guard let member = context.ledger.state.member(named: name) else {
            throw CLIError("'\(NameRules.printable(name))' is not a member of this store ('escrow custodian list')")
        }
        let blocking = CustodianRemoveCommand.impacts(of: member, in: context.ledger.state).filter(\.blocks)
        guard blocking.isEmpty else {
            throw CLIError(
                "\(name) is a custodian of \(blocking.map(\.vault).joined(separator: ", ")): re-split them first: "
                    + "escrow vault reshare --all --remove \(name)"
            )
        }
        let change = try context.ledger.rosterChange(add: [], remove: [name], quorum: nil)
        try Self.write(change, context: context, to: out, json: json)
    }

    /// Writes the change file and says who must endorse it.
    ///
    /// - Parameters:
    ///   - change: The unendorsed change.
    ///   - context: The open store.
    ///   - path: The file to write.
    ///   - json: Whether to print JSON.
    /// - Throws: ``CLIError`` if the file exists, ``EscrowError`` if it cannot be written.
    static func write(_ change: RosterBody, context: StoreContext, to path: String, json: Bool) throws {
        let ledger = context.ledger
        try RosterChangeFile.writeChange(change, store: ledger.state.storeID, to: path)
        let needed = ledger.rosterEndorsementsNeeded
        if json {
            Console.json(
                .object([
                    "change": .string(path), "base": .string(Hex.encode(change.base.bytes)),
                    "endorsements_needed": .int(Int64(needed)),
                ])
            )
            return
        }
        Console.line("Wrote the roster change to \(path); it needs \(needed) custodian endorsement(s):")
        for line in RosterCeremony(context: context, change: change).describe() { Console.line(line) }
        Console.note(
            "Each custodian runs 'escrow custodian endorse \(path) --identity THEIR.id --out NAME.endorsement'; "
                + "then 'escrow custodian apply \(path) --endorsement …' appends it."
        )
    }
}
