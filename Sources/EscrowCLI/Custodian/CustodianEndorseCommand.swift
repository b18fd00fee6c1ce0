import ArgumentParser
import Escrow
import Platform

/// `escrow custodian endorse change.json --identity B.id --out b.endorsement`: a remote custodian's endorsement.
struct CustodianEndorseCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "endorse",
        abstract: "Endorse a proposed roster change: shows it, asks your passphrase, writes your endorsement.",
        discussion: "Sync first: a change proposed against an older roster cannot be endorsed."
    )

    @Argument(help: "The change file from 'escrow custodian propose'.")
    var change: String

    @Option(help: ArgumentHelp("The endorsement file to write (must not exist).", valueName: "file"))
    var out: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Runs the command (see the type's documentation).
    func execute() throws {
        guard !FileSystem.exists(out) else {
            throw CLIError("\(out) already exists; choose another file (nothing was asked or written)")
        }
        let context = try store.open()
        let ledger = context.ledger
        let body = try RosterChangeFile.readChange(change, store: ledger.state.storeID)
        try Self.checkBase(body, ledger: ledger, path: change)
        let file = try identity.readFile()
        let person = file.publicIdentity
        guard ledger.state.members[person.signingKey]?.role == .custodian else {
            throw CLIError("\(person.name) (\(person.fingerprint)) is not a custodian of this store")
        }
        Console.note("\(person.name), check the change to store '\(ledger.state.storeName)' before endorsing it:")
        for line in RosterCeremony(context: context, change: body).describe() { Console.note(line) }
        let unlocked = try identity.unlock()
        let endorsement = try ledger.endorse(body, by: unlocked)
        try RosterChangeFile.writeEndorsement(endorsement, endorser: person.name, store: ledger.state.storeID, to: out)
        if json {
            Console.json(.object(["endorsement": .string(out), "endorser": .string(person.name)]))
            return
        }
        Console.line("\(person.name) endorsed the change; endorsement written to \(out).")
    }

    /// Refuses a change made against another roster than the current one.
    ///
    /// - Parameters:
    ///   - body: The change.
    ///   - ledger: The store.
    ///   - path: The change file, for the message.
    /// - Throws: ``CLIError`` when the roster moved on since the proposal.
    static func checkBase(_ body: RosterBody, ledger: Ledger, path: String) throws {
        guard body.base.bytes == ledger.state.rosterHead.bytes else {
            throw CLIError(
                "\(path) was proposed against another roster (the roster changed since, or this clone is behind): "
                    + "run 'escrow sync', then propose again"
            )
        }
    }
}
