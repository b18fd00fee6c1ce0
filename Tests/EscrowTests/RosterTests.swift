import Sodium
import Testing

@testable import Escrow

@Suite struct RosterTests {
    init() throws { try Sodium.initialize() }

    func roster() throws -> (Roster, [CustodianIdentity]) {
        let people = try ["carol", "alice", "bob"].map(identity)
        var roster = Roster()
        for (index, person) in people.enumerated() {
            try roster.add(
                person.publicIdentity,
                at: UTCTime(secondsSinceEpoch: Int64(index)),
                by: people[0].publicIdentity.fingerprint
            )
        }
        try roster.remove(named: "bob", at: UTCTime(secondsSinceEpoch: 10), by: people[1].publicIdentity.fingerprint)
        return (roster, people)
    }

    @Test func roundTripAndOrder() throws {
        let (roster, people) = try roster()
        #expect(roster.members.map(\.identity.name) == ["alice", "carol"])
        #expect(roster.former.map(\.identity.name) == ["bob"])
        let bytes = try roster.encoded()
        let decoded = try Roster.decode(bytes, source: "roster.json")
        #expect(decoded == roster)
        #expect(try decoded.encoded() == bytes)
        #expect(decoded.knownIdentity(fingerprint: people[2].publicIdentity.fingerprint)?.name == "bob")
        #expect(decoded.member(fingerprint: people[2].publicIdentity.fingerprint) == nil)
    }

    /// Only active members are found; a former one is named as missing, with the hint for a custodian to be.
    @Test func requireMemberNamesTheMissingOne() throws {
        let (roster, people) = try roster()
        #expect(try roster.requireMember(named: "carol").identity == people[0].publicIdentity)
        let former = expectEscrowError(.notFound) { _ = try roster.requireMember(named: "bob") }
        #expect(former?.message == "custodian 'bob' is not in the roster")
        let joining = expectEscrowError(.notFound) { _ = try roster.requireMember(named: "zed", joining: true) }
        #expect(joining?.message == "custodian 'zed' is not in the roster (add it with 'escrow custodian add')")
    }

    @Test func duplicatesRefused() throws {
        var (roster, people) = try roster()
        expectEscrowError(.alreadyExists) {
            try roster.add(
                people[0].publicIdentity,
                at: UTCTime(secondsSinceEpoch: 0),
                by: people[0].publicIdentity.fingerprint
            )
        }
        let sameKey = try PublicIdentity(name: "carla", email: "", signingKey: people[0].publicIdentity.signingKey)
        expectEscrowError(.alreadyExists) {
            try roster.add(sameKey, at: UTCTime(secondsSinceEpoch: 0), by: people[0].publicIdentity.fingerprint)
        }
        expectEscrowError(.notFound) {
            try roster.remove(named: "zed", at: UTCTime(secondsSinceEpoch: 0), by: people[0].publicIdentity.fingerprint)
        }
        // A former member may come back.
        try roster.add(
            people[2].publicIdentity,
            at: UTCTime(secondsSinceEpoch: 20),
            by: people[0].publicIdentity.fingerprint
        )
        #expect(roster.member(named: "bob") != nil)
    }

    func edit(_ bytes: [UInt8], _ body: (inout [String: JSONValue]) -> Void) throws -> [UInt8] {
        guard case .object(var members) = try JSONParser.parse(bytes, source: "t") else { return [] }
        body(&members)
        return JSONWriter.pretty(.object(members))
    }

    func editFirst(_ bytes: [UInt8], _ key: String, _ value: JSONValue) throws -> [UInt8] {
        try edit(bytes) { members in
            guard case .array(var list) = members["custodians"], case .object(var first) = list[0] else { return }
            first[key] = value
            list[0] = .object(first)
            members["custodians"] = .array(list)
        }
    }

    @Test func tamperedRosterRefused() throws {
        let (roster, people) = try roster()
        let bytes = try roster.encoded()
        expectEscrowError(.tampered) {
            _ = try Roster.decode(
                try editFirst(bytes, "signing_key", .string(Base64URL.encode(people[2].publicIdentity.signingKey))),
                source: "r"
            )
        }
        expectEscrowError(.invalidInput) {
            _ = try Roster.decode(try editFirst(bytes, "name", .string("Alice")), source: "r")
        }
        expectEscrowError(.malformedFile) {
            _ = try Roster.decode(try editFirst(bytes, "removed_at", .string("2030-01-01T00:00:00Z")), source: "r")
        }
        expectEscrowError(.malformedFile) {
            _ = try Roster.decode(try editFirst(bytes, "surprise", .int(1)), source: "r")
        }
        expectEscrowError(.unsupportedVersion) {
            _ = try Roster.decode(try edit(bytes) { $0["version"] = .int(9) }, source: "r")
        }
        expectEscrowError(.malformedFile) {
            _ = try Roster.decode(
                try edit(bytes) {
                    if case .array(let list) = $0["custodians"] { $0["custodians"] = .array(list.reversed()) }
                },
                source: "r"
            )
        }
        expectEscrowError(.invalidInput) {
            _ = try Roster.decode(
                try edit(bytes) {
                    if case .array(let list) = $0["custodians"] { $0["custodians"] = .array([list[0], list[0]]) }
                },
                source: "r"
            )
        }
    }
}
