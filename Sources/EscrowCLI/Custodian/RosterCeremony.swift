import Escrow
import Platform

/// A roster change signed in the room: every public check first (who signs, whether their endorsements reach the
/// quorum), then each signer in turn sees the change and types their passphrase, and one `roster` event is appended.
/// Used by `custodian add`, `remove` and `apply`.
struct RosterCeremony {
    /// The open store.
    let context: StoreContext
    /// The change without endorsements.
    let change: RosterBody

    /// The change as people check it, one line per member added or removed.
    ///
    /// - Returns: The lines.
    func describe() -> [String] {
        let state = context.ledger.state
        var lines = change.add.map { record in
            let email = record.email.isEmpty ? "no e-mail" : record.email
            let fingerprint = Fingerprint(signingKey: record.key.bytes)
            return "  add \(record.name) <\(email)> \(fingerprint) as \(record.role.rawValue)"
        }
        lines += change.remove.map { key in
            guard let member = state.members[key.bytes] else { return "  remove \(Fingerprint(signingKey: key.bytes))" }
            return "  remove \(member.identity.name) <\(member.identity.email)> \(member.identity.fingerprint) "
                + "(\(member.role.rawValue))"
        }
        if let quorum = change.quorum { lines.append("  set the roster quorum to \(quorum)") }
        return lines
    }

    /// Collects the endorsements and appends the roster event.
    ///
    /// - Parameters:
    ///   - signing: The identities in the room and their passphrase sources.
    ///   - collected: Endorsements made elsewhere (`custodian endorse`), already read.
    /// - Returns: The appended event and the endorsers' names.
    /// - Throws: ``CLIError`` for a signer who is not a custodian or too few endorsements (not ready), ``EscrowError`` for a wrong passphrase or a change the store refuses.
    func run(signing: RosterSigningOptions, collected: [Endorsement] = []) throws -> (Event, [String]) {
        let ledger = context.ledger
        let state = ledger.state
        let message = try change.proposalMessage(store: state.storeID)
        var endorsers: [[UInt8]: String] = [:]
        var approvals: [Endorsement] = []
        for endorsement in collected {
            let key = endorsement.key.bytes
            guard let member = state.members[key], member.role == .custodian else {
                throw CLIError("an endorsement is by \(Fingerprint(signingKey: key)), not a custodian of this store")
            }
            guard member.identity.isValidSignature(endorsement.signature.bytes, for: message) else {
                throw CLIError(
                    "the endorsement of \(member.identity.name) does not match this change (another change, or altered)"
                )
            }
            guard endorsers[key] == nil else { throw CLIError("\(member.identity.name) endorsed twice") }
            endorsers[key] = member.identity.name
            approvals.append(endorsement)
        }
        let paths = try signing.paths()
        var files: [IdentityFile] = []
        for path in paths {
            try PrivateFile.requirePrivateIdentity(path)
            let file = try IdentityFile.decode(try FileSystem.read(path, limit: 1 << 16), source: path)
            let identity = file.publicIdentity
            guard state.members[identity.signingKey]?.role == .custodian else {
                throw CLIError(
                    "\(identity.name) (\(identity.fingerprint), \(path)) is not a custodian of this store: only "
                        + "custodians endorse roster changes"
                )
            }
            guard endorsers[identity.signingKey] == nil, !files.contains(where: { $0.publicIdentity == identity })
            else { throw CLIError("\(identity.name) is given twice: each custodian endorses once") }
            files.append(file)
            endorsers[identity.signingKey] = identity.name
        }
        let needed = ledger.rosterEndorsementsNeeded
        guard endorsers.count >= needed else {
            throw CLIError(
                "the change needs \(needed) custodian endorsements (roster quorum \(state.rosterQuorum), "
                    + "\(state.custodians.count) custodians), \(endorsers.count) given: add --endorse FILE for each "
                    + "custodian in the room, or collect remote ones with 'escrow custodian propose', 'endorse' "
                    + "and 'apply'",
                status: .notReady
            )
        }
        var author: CustodianIdentity?
        for (index, file) in files.enumerated() {
            let identity = file.publicIdentity
            Console.note("\(identity.name), check the change to store '\(state.storeName)' before endorsing it:")
            for line in describe() { Console.note(line) }
            let passphrase = try signing.passphraseSource(index).read(
                prompt: "Passphrase for \(identity.name) (\(identity.fingerprint)) to endorse: "
            )
            let unlocked = try file.unseal(passphrase: passphrase, allowTestProfile: TestProfile.isAllowed)
            approvals.append(try ledger.endorse(change, by: unlocked))
            if index == 0 { author = unlocked }
        }
        guard let author else { throw CLIError("no identity given: pass --identity FILE") }
        var endorsed = change
        endorsed.approvals = approvals
        let event = try ledger.event(.roster, body: endorsed, by: author, at: EscrowClock.system.now)
        let names = approvals.compactMap { endorsers[$0.key.bytes] }
        try context.append(
            [event],
            message: "roster change by \(author.publicIdentity.name) (\(names.joined(separator: ", ")))"
        )
        return (event, names)
    }

    /// Finishes the change an interrupted run of the same command wrote but did not commit (killed between writing
    /// the roster event and its git commit, which left it in this work tree only, unseen by any other clone): when
    /// the roster's head is such an event and `isThisChange` recognises its body, commits it
    /// (``StoreContext/commitInterrupted(message:)``) and says so. Otherwise (a committed change, another change, no
    /// git) nothing is done and the caller checks, and refuses, as usual.
    ///
    /// - Parameters:
    ///   - context: The open store.
    ///   - isThisChange: Whether a roster change (its endorsements left out) is the one the command asks for.
    /// - Returns: The ceremony of that change, its event and its endorsers' names; `nil` if there is none to finish.
    /// - Throws: A git or I/O error.
    static func finishInterrupted(
        in context: StoreContext,
        isThisChange: (RosterBody) -> Bool
    ) throws -> (ceremony: RosterCeremony, event: Event, endorsers: [String])? {
        let ledger = context.ledger
        let head = ledger.state.rosterHead
        guard let event = ledger.graph.event(head), event.type == EventType.roster.rawValue,
            var change = try? EventBody.decode(RosterBody.self, of: event)
        else { return nil }
        let approvals = change.approvals
        change.approvals = []
        guard isThisChange(change), try context.isUncommitted(head) else { return nil }
        let names = approvals.map { approval in
            ledger.state.members[approval.key.bytes]?.identity.name
                ?? CustodianListCommand.formerName(approval.key.bytes, ledger: ledger)
        }
        try context.commitInterrupted(
            message: "roster change by \(event.author.name) (\(names.joined(separator: ", ")))"
        )
        Console.note(
            "an interrupted run of this command wrote this change (event \(event.id.short)) but did not commit it: "
                + "committed now"
        )
        return (RosterCeremony(context: context, change: change), event, names)
    }

    /// The JSON result of an appended change.
    ///
    /// - Parameters:
    ///   - event: The roster event.
    ///   - endorsers: The endorsers' names.
    /// - Returns: The document.
    func result(_ event: Event, endorsers: [String]) -> JSONValue {
        .object([
            "event": .string(event.id.description),
            "added": .array(
                change.add.map { record in
                    .object([
                        "name": .string(record.name), "email": .string(record.email),
                        "role": .string(record.role.rawValue),
                        "fingerprint": .string(Fingerprint(signingKey: record.key.bytes).description),
                    ])
                }
            ),
            "removed": .array(change.remove.map { .string(Fingerprint(signingKey: $0.bytes).description) }),
            "endorsers": .array(endorsers.map(JSONValue.string)),
            "members": .int(Int64(context.ledger.state.members.count)),
        ])
    }
}
