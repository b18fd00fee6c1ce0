import ArgumentParser
import Escrow

/// `escrow custodian list`: the store's current members, removed members and roster quorum.
struct CustodianListCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the store's members (name, role, fingerprint, e-mail), removed members and roster quorum."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Runs the command (see the type's documentation).
    func execute() throws {
        let context = try store.open()
        let ledger = context.ledger
        let state = ledger.state
        let members = state.members.values.sorted { $0.identity.name < $1.identity.name }
        let removed = state.formerKeys.map { key in (name: Self.formerName(key, ledger: ledger), key: key) }
            .sorted { $0.name < $1.name }
        try context.saveTrust()
        if json {
            Console.json(
                .object([
                    "roster_quorum": .int(Int64(state.rosterQuorum)),
                    "endorsements_needed": .int(Int64(ledger.rosterEndorsementsNeeded)),
                    "members": .array(
                        members.map { member in
                            .object([
                                "name": .string(member.identity.name), "role": .string(member.role.rawValue),
                                "fingerprint": .string(member.identity.fingerprint.description),
                                "email": .string(member.identity.email),
                            ])
                        }
                    ),
                    "removed": .array(
                        removed.map {
                            .object([
                                "name": .string($0.name),
                                "fingerprint": .string(Fingerprint(signingKey: $0.key).description),
                            ])
                        }
                    ),
                ])
            )
            return
        }
        Console.table(
            ["NAME", "ROLE", "FINGERPRINT", "E-MAIL"],
            members.map {
                [$0.identity.name, $0.role.rawValue, $0.identity.fingerprint.description, $0.identity.email]
            }
        )
        for former in removed {
            Console.line("removed: \(former.name) (\(Fingerprint(signingKey: former.key)))")
        }
        Console.line(
            "Roster quorum \(state.rosterQuorum): a roster change needs \(ledger.rosterEndorsementsNeeded) of "
                + "\(state.custodians.count) custodians."
        )
    }

    /// The name a removed member had (from the roster events that added it).
    ///
    /// - Parameters:
    ///   - key: The removed member's key.
    ///   - ledger: The store.
    /// - Returns: The name, or the key's fingerprint.
    static func formerName(_ key: [UInt8], ledger: Ledger) -> String {
        for event in ledger.graph.events {
            if event.author.key == key { return event.author.name }
            if event.type == EventType.roster.rawValue,
                let body = try? EventBody.decode(RosterBody.self, of: event),
                let record = body.add.first(where: { $0.key.bytes == key })
            {
                return record.name
            }
        }
        return Fingerprint(signingKey: key).description
    }
}
