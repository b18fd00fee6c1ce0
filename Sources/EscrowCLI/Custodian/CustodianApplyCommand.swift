import ArgumentParser
import Escrow

/// `escrow custodian apply change.json --endorsement b.endorsement… --identity A.id`: appends a remotely endorsed
/// roster change.
struct CustodianApplyCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Append a proposed roster change with the endorsements collected for it (yours is added).",
        discussion: "The acting custodian (--identity) endorses too; --endorse adds more custodians in the room."
    )

    @Argument(help: "The change file from 'escrow custodian propose'.")
    var change: String

    @Option(
        name: .customLong("endorsement"),
        help: ArgumentHelp("An endorsement file from 'escrow custodian endorse' (repeatable).", valueName: "file")
    )
    var endorsements: [String] = []

    @OptionGroup var store: StoreOptions
    @OptionGroup var signing: RosterSigningOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Runs the command (see the type's documentation).
    func execute() throws {
        let context = try store.open()
        let ledger = context.ledger
        var body = try RosterChangeFile.readChange(change, store: ledger.state.storeID)
        // A retry after a run killed before its commit finishes that run (the roster moved on to this very change).
        let proposed = body
        if let (ceremony, event, endorsers) = try RosterCeremony.finishInterrupted(
            in: context,
            isThisChange: {
                $0 == proposed
            }
        ) {
            report(ceremony, event: event, endorsers: endorsers)
            return
        }
        try CustodianEndorseCommand.checkBase(body, ledger: ledger, path: change)
        // Re-derive through the domain so names, keys and the quorum are checked against the current roster.
        let removed = body.remove.compactMap { ledger.state.members[$0.bytes]?.identity.name }
        guard removed.count == body.remove.count else {
            throw CLIError("\(change) removes a key that is not a member of this store")
        }
        body = try ledger.rosterChange(add: body.add, remove: removed, quorum: body.quorum)
        let collected = try endorsements.map { try RosterChangeFile.readEndorsement($0, store: ledger.state.storeID) }
        let ceremony = RosterCeremony(context: context, change: body)
        let (event, endorsers) = try ceremony.run(signing: signing, collected: collected)
        report(ceremony, event: event, endorsers: endorsers)
    }

    /// Prints the applied change (text or JSON).
    private func report(_ ceremony: RosterCeremony, event: Event, endorsers: [String]) {
        if json {
            Console.json(ceremony.result(event, endorsers: endorsers))
            return
        }
        Console.line(
            "Applied the roster change of \(change), endorsed by \(endorsers.joined(separator: ", ")); "
                + "event \(event.id.short)."
        )
        for line in ceremony.describe() { Console.line(line) }
    }
}
