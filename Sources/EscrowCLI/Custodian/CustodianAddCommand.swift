import ArgumentParser
import Escrow

/// `escrow custodian add (PUBLIC-LINE | --public FILE) [--role R] --identity A.id [--endorse B.id]...`: adds a
/// member, endorsed in the room by enough custodians.
struct CustodianAddCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a custodian or depositor to the store, endorsed by enough custodians in the room.",
        discussion: """
            The acting custodian (--identity) and each endorser (--endorse) in turn see the new member's name, \
            e-mail, fingerprint and role and type their passphrase (or give --passphrase-file in the same order). \
            The change needs min(roster quorum, custodians) endorsements. Custodians not in the room endorse with \
            'escrow custodian propose add', 'endorse' and 'apply'.
            """
    )

    @Argument(help: "The new member's public identity line (from 'escrow custodian new').")
    var line: String?

    @Option(name: .customLong("public"), help: ArgumentHelp("A file holding the public line.", valueName: "file"))
    var publicFile: String?

    @Option(help: "custodian (holds shares, approves) or depositor (deposits only).")
    var role: MemberRole = .custodian

    @OptionGroup var store: StoreOptions
    @OptionGroup var signing: RosterSigningOptions

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
        let record = try Self.record(line: line, file: publicFile, role: role)
        let context = try store.open()
        func sign() throws -> (RosterCeremony, Event, [String]) {
            let change = try context.ledger.rosterChange(add: [record], remove: [], quorum: nil)
            let ceremony = RosterCeremony(context: context, change: change)
            let (event, endorsers) = try ceremony.run(signing: signing)
            return (ceremony, event, endorsers)
        }
        // A retry after a run killed before its commit finishes that run.
        let (ceremony, event, endorsers) =
            try RosterCeremony.finishInterrupted(in: context) { $0.add == [record] && $0.remove.isEmpty } ?? sign()
        if json {
            Console.json(ceremony.result(event, endorsers: endorsers))
            return
        }
        Console.line(
            "Added \(record.name) (\(record.role.rawValue), \(Fingerprint(signingKey: record.key.bytes))) to store "
                + "'\(context.ledger.state.storeName)', endorsed by \(endorsers.joined(separator: ", ")); "
                + "event \(event.id.short)."
        )
        Console.note("Run 'escrow sync' to share the change.")
    }

    /// The member record from a public line or a file holding one.
    ///
    /// - Parameters:
    ///   - line: The line, if given on the command line.
    ///   - file: The file, if given.
    ///   - role: The role.
    /// - Returns: The record.
    /// - Throws: ``CLIError`` or ``EscrowError`` for a bad or damaged line or file.
    static func record(line: String?, file: String?, role: MemberRole) throws -> MemberRecord {
        let identity: PublicIdentity
        if let line {
            identity = try PublicIdentity(line: line)
        } else {
            identity = try PublicIdentityArgument.parse(file ?? "")
        }
        return MemberRecord(identity, role: role)
    }
}

/// `--role custodian|depositor`.
extension MemberRole: ExpressibleByArgument {}
