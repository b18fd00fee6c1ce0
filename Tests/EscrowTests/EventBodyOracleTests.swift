import Sodium
import Testing

@testable import Escrow

/// `EventBody.decode` (the strict decoder alone, and the hand-written decoders of the hot record types) against the
/// old path kept here as the oracle: `Codable` decoding that reads `null` as absent, then encoding the model again and
/// refusing the body unless the encoding is the body itself. Every body of a store exercising every event type
/// decodes on both paths to the same value; random mutations of those bodies (a member added, removed or renamed, a
/// value replaced by another type, `null`, a neighbouring integer, upper-case hex, padded or non-canonical base64, an
/// element removed or repeated, …) are refused by the new path exactly when the oracle refuses them, and give the same
/// value when both accept.
@Suite struct EventBodyOracleTests {
    /// The old path: decode (unknown members refused, `null` read as absent), re-encode, compare.
    static func oracle<Body: Codable>(_ type: Body.Type, _ body: JSONValue) -> Body? {
        guard
            let decoded = try? JSONValueDecoder(unknownKeys: .refuse, nullOptionals: .absent)
                .decode(type, from: body, source: "oracle"),
            let encoded = try? JSONValueEncoder().encode(decoded),
            encoded == body
        else { return nil }
        return decoded
    }

    /// A store with every event type: roster changes, a vault with custody, deposits (single and batch), an open
    /// (request, approvals, execution), a re-split (with an added custodian's custody), an open after it (resolved
    /// levels), a close request with its approvals, and an attempt naming a request.
    static func richStore() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password"],
            approvers: ["bob", "carol", "dave"]
        )
        _ = try fixture.open(request, keys: keys)
        try fixture.addMember("frank", role: .custodian)
        try fixture.addMember("robot", role: .depositor)
        let batch = try fixture.ledger.depositBatch(
            [
                Ledger.BatchDeposit(value: secure("one"), vault: "acme", entry: "note-1", kind: .note),
                Ledger.BatchDeposit(
                    value: secure("two"),
                    vault: "acme",
                    entry: "root-password",
                    kind: .password,
                    metadata: ["rotated_by": "job"]
                ),
            ],
            by: fixture.person("robot"),
            at: fixture.now(),
            random: &fixture.random
        )
        try fixture.ledger.append(batch)
        try fixture.resplit("acme", remove: ["erin"], add: ["frank"], approvers: ["alice", "bob", "carol", "dave"])
        let (after, afterKeys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password", "note-1"],
            approvers: ["bob", "carol", "frank"]
        )
        _ = try fixture.open(after, keys: afterKeys)
        let vault = try fixture.ledger.vault(named: "acme")
        let close = try fixture.ledger.request(
            .close,
            targets: [RequestTarget(vault: vault.reference, generation: vault.generation)],
            recipient: nil,
            reason: "customer left",
            expiresAt: UTCTime(secondsSinceEpoch: fixture.now().secondsSinceEpoch + 3600),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try fixture.ledger.append([close])
        try fixture.ledger.append([
            try fixture.ledger.approve(close.id, by: fixture.person("bob"), at: fixture.now(), random: &fixture.random)
        ])
        let attempt = AttemptRecord(
            time: fixture.now(),
            command: "unlock open",
            request: close.id.bytes,
            outcome: .refused,
            detail: "not approved yet"
        )
        try fixture.ledger.append([
            try fixture.ledger.attempts([attempt], by: fixture.person("alice"), at: fixture.now())
        ])
        return fixture
    }

    /// Decodes `body` on both paths as the body type of `type` and reports a disagreement, or `nil`.
    static func disagreement(_ type: EventType, _ body: JSONValue) -> String? {
        switch type {
        case .genesis: return compare(GenesisBody.self, body)
        case .roster: return compare(RosterBody.self, body)
        case .vaultCreate: return compare(VaultCreateBody.self, body)
        case .custody: return compare(CustodyBody.self, body)
        case .deposit: return compare(DepositBody.self, body)
        case .depositBatch: return compare(DepositBatchBody.self, body)
        case .request: return compare(RequestBody.self, body)
        case .approval: return compare(ApprovalBody.self, body)
        case .execution: return compare(ExecutionBody.self, body)
        case .attempt: return compare(AttemptBody.self, body)
        }
    }

    static func compare<Body: Codable & Equatable>(_ type: Body.Type, _ body: JSONValue) -> String? {
        let old = oracle(type, body)
        let new: Body?
        let refusal: String?
        do {
            new = try EventBody.decode(type, from: body, source: "new")
            refusal = nil
        } catch {
            new = nil
            refusal = error.message
        }
        switch (old, new) {
        case (nil, nil): return nil
        case (let old?, let new?):
            return old == new
                ? nil : "\(type): both accept, different values: \(JSONWriter.canonical(body).prefix(300))"
        case (nil, _?):
            return
                "\(type): only the new path accepts \(String(decoding: JSONWriter.canonical(body).prefix(400), as: UTF8.self))"
        case (_?, nil):
            return "\(type): only the oracle accepts (\(refusal ?? "")): "
                + String(decoding: JSONWriter.canonical(body).prefix(400), as: UTF8.self)
        }
    }

    @Test func everyRealBodyDecodesAlikeOnBothPathsAndRoundTrips() throws {
        let fixture = try Self.richStore()
        var seen: Set<EventType> = []
        for event in fixture.ledger.graph.events {
            let type = try #require(EventType(rawValue: event.type))
            seen.insert(type)
            #expect(Self.disagreement(type, event.body) == nil)
            #expect(try Self.accepts(type, event.body), "\(event.type) \(event.id.short) is refused by the new path")
        }
        #expect(seen == Set(EventType.allCases), "the store lacks \(Set(EventType.allCases).subtracting(seen))")
    }

    /// Whether the new path accepts `body` and it re-encodes to itself.
    static func accepts(_ type: EventType, _ body: JSONValue) throws -> Bool {
        func check<Body: Codable>(_ model: Body.Type) throws -> Bool {
            try JSONCoding.encode(try EventBody.decode(model, from: body, source: "real")) == body
        }
        switch type {
        case .genesis: return try check(GenesisBody.self)
        case .roster: return try check(RosterBody.self)
        case .vaultCreate: return try check(VaultCreateBody.self)
        case .custody: return try check(CustodyBody.self)
        case .deposit: return try check(DepositBody.self)
        case .depositBatch: return try check(DepositBatchBody.self)
        case .request: return try check(RequestBody.self)
        case .approval: return try check(ApprovalBody.self)
        case .execution: return try check(ExecutionBody.self)
        case .attempt: return try check(AttemptBody.self)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomMutationsOfRealBodiesAreRefusedExactlyWhenTheOracleRefusesThem(seed: UInt64) throws {
        let fixture = try Self.richStore()
        var random = LedgerSplitMix(seed: seed)
        var failures: [String] = []
        var refused = 0
        var accepted = 0
        for event in fixture.ledger.graph.events {
            let type = try #require(EventType(rawValue: event.type))
            for _ in 0..<60 {
                var mutant = event.body
                for _ in 0..<(1 + Int(random.next() % 2)) { mutant = BodyMutator.mutate(mutant, using: &random) }
                if let failure = Self.disagreement(type, mutant) {
                    failures.append("\(event.type) \(event.id.short): \(failure)")
                }
                if Self.oracleAccepts(type, mutant) { accepted += 1 } else { refused += 1 }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) disagreements, first: \(failures.prefix(3))")
        // The mutations reach both outcomes (a generator that only breaks bodies would prove little).
        #expect(refused > 100 && accepted > 10, "refused \(refused), accepted \(accepted)")
    }

    static func oracleAccepts(_ type: EventType, _ body: JSONValue) -> Bool {
        switch type {
        case .genesis: return oracle(GenesisBody.self, body) != nil
        case .roster: return oracle(RosterBody.self, body) != nil
        case .vaultCreate: return oracle(VaultCreateBody.self, body) != nil
        case .custody: return oracle(CustodyBody.self, body) != nil
        case .deposit: return oracle(DepositBody.self, body) != nil
        case .depositBatch: return oracle(DepositBatchBody.self, body) != nil
        case .request: return oracle(RequestBody.self, body) != nil
        case .approval: return oracle(ApprovalBody.self, body) != nil
        case .execution: return oracle(ExecutionBody.self, body) != nil
        case .attempt: return oracle(AttemptBody.self, body) != nil
        }
    }

    /// Each targeted mutation class, on a real deposit body: refused by both paths.
    @Test func eachNonCanonicalFormIsRefusedByBothPaths() throws {
        let fixture = try LedgerFixture()
        let deposit = try #require(fixture.ledger.graph.events.last { $0.type == "deposit" })
        let body = deposit.body
        guard case .object(let members) = body, case .array(let shares)? = members["shares"],
            case .object(let share)? = shares.first
        else {
            Issue.record("unexpected deposit shape")
            return
        }
        func withShare(_ key: String, _ value: JSONValue?) -> JSONValue {
            var share = share
            share[key] = value
            var shares = shares
            shares[0] = .object(share)
            return body.setting("shares", to: .array(shares))
        }
        let version = try #require(members["version"]?.stringValue)
        let sealed = try #require(share["sealed"]?.stringValue)
        let mutants: [String: JSONValue] = [
            "extra member": body.setting("extra", to: .int(1)),
            "extra nested member": withShare("extra", .bool(true)),
            "missing member": body.removing("commitment"),
            "missing nested member": withShare("x", nil),
            "null optional (digest)": withShare("digest", .null),
            "null required": body.setting("entry", to: .null),
            "wrong type": body.setting("generation", to: .string("1")),
            "upper-case hex": body.setting("version", to: .string(version.uppercased())),
            "odd-length hex": body.setting("version", to: .string(String(version.dropLast()))),
            "padded base64": withShare("sealed", .string(sealed + "==")),
            "standard-alphabet base64": withShare("sealed", .string("+" + sealed.dropFirst())),
            "x out of range": withShare("x", .int(256)),
            "negative x": withShare("x", .int(-1)),
            "unknown kind": body.setting("kind", to: .string("Password")),
            "float-free integer as string": body.setting("threshold", to: .string("3")),
        ]
        for (name, mutant) in mutants {
            #expect(Self.oracle(DepositBody.self, mutant) == nil, "the oracle accepts: \(name)")
            #expect(throws: EscrowError.self, "the new path accepts: \(name)") {
                try EventBody.decode(DepositBody.self, from: mutant, source: "mutant")
            }
        }
        // Base64 with non-zero padding bits: 72 bytes encode to 96 characters with no padding bits; an approval's
        // ephemeral key (32 bytes, 43 characters) has two.
        let approval = try #require(try Self.richApproval(fixture))
        let key = try #require(approval["ephemeral_key"]?.stringValue)
        let last = try #require(key.last)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let index = try #require(alphabet.firstIndex(of: last))
        let bent = String(key.dropLast()) + String(alphabet[index ^ 1])
        let mutant = approval.setting("ephemeral_key", to: .string(bent))
        #expect(Self.oracle(ApprovalBody.self, mutant) == nil)
        #expect(throws: EscrowError.self) { try EventBody.decode(ApprovalBody.self, from: mutant, source: "mutant") }
        let nullKey = approval.setting("ephemeral_key", to: .null)
        #expect(Self.oracle(ApprovalBody.self, nullKey) == nil)
        #expect(throws: EscrowError.self) { try EventBody.decode(ApprovalBody.self, from: nullKey, source: "mutant") }
    }

    /// The body of an approval of an open of acme's password by bob.
    static func richApproval(_ fixture: LedgerFixture) throws -> JSONValue? {
        let (request, _) = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: ["bob"])
        return fixture.ledger.graph.events.last {
            $0.type == "approval" && (try? EventBody.decode(ApprovalBody.self, of: $0))?.request.bytes == request.bytes
        }?.body
    }
}

/// Random mutations of a JSON value, biased towards the forms a canonical decoder must refuse.
enum BodyMutator {
    enum Step: Hashable {
        case member(String)
        case index(Int)
    }

    static func paths(_ value: JSONValue, _ prefix: [Step] = []) -> [[Step]] {
        var result = [prefix]
        switch value {
        case .object(let members):
            for key in members.keys.sorted() { result += paths(members[key] ?? .null, prefix + [.member(key)]) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { result += paths(element, prefix + [.index(index)]) }
        default: break
        }
        return result
    }

    static func get(_ value: JSONValue, _ path: ArraySlice<Step>) -> JSONValue? {
        guard let step = path.first else { return value }
        switch (step, value) {
        case (.member(let key), .object(let members)): return members[key].flatMap { get($0, path.dropFirst()) }
        case (.index(let index), .array(let elements)):
            return index < elements.count ? get(elements[index], path.dropFirst()) : nil
        default: return nil
        }
    }

    /// `value` with the node at `path` replaced (`nil` removes it from its object or array).
    static func set(_ value: JSONValue, _ path: ArraySlice<Step>, _ new: JSONValue?) -> JSONValue {
        guard let step = path.first else { return new ?? .null }
        switch (step, value) {
        case (.member(let key), .object(var members)):
            if path.count == 1 {
                members[key] = new
            } else if let child = members[key] {
                members[key] = set(child, path.dropFirst(), new)
            }
            return .object(members)
        case (.index(let index), .array(var elements)) where index < elements.count:
            if path.count == 1 {
                if let new { elements[index] = new } else { elements.remove(at: index) }
            } else {
                elements[index] = set(elements[index], path.dropFirst(), new)
            }
            return .array(elements)
        default: return value
        }
    }

    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func mutate(_ value: JSONValue, using random: inout LedgerSplitMix) -> JSONValue {
        let all = paths(value)
        let path = all[Int(random.next() % UInt64(all.count))]
        guard let node = get(value, path[...]) else { return value }
        var options: [JSONValue?] = [
            .null, .bool(true), .bool(false), .int(0), .int(1), .int(-1), .int(255), .int(256), .int(Int64.max),
            .int(Int64.min), .string(""), .string("x"), .array([]), .object([:]),
        ]
        if !path.isEmpty { options.append(nil) }  // remove the member or element
        switch node {
        case .int(let number):
            options += [.int(number &+ 1), .int(number &- 1), .int(0 &- number), .string(String(number))]
        case .string(let text):
            let characters = Array(text)
            options += [
                .string(text.uppercased()), .string(text + "="), .string(text + "=="), .string(text + "A"),
                .string(String(text.dropLast())), .string(String(text.dropFirst())), .string(text + "é"),
                .string(" " + text),
            ]
            if let last = characters.last {
                let replaced = String(characters.dropLast())
                for _ in 0..<3 {
                    let character = base64Alphabet[Int(random.next() % 64)]
                    options.append(.string(replaced + String(character)))
                }
                options.append(.string(replaced + (last == "+" ? "-" : "+")))
                options.append(.string(replaced + "/"))
            }
            if !characters.isEmpty {
                var changed = characters
                let index = Int(random.next() % UInt64(characters.count))
                changed[index] = base64Alphabet[Int(random.next() % 64)]
                options.append(.string(String(changed)))
            }
        case .array(let elements):
            if let first = elements.first {
                options += [
                    .array(elements + [first]), .array(elements + [.null]), .array(Array(elements.reversed())),
                    .array(Array(elements.dropFirst())), .array([first]),
                ]
            }
        case .object(let members):
            options += [.object(members.merging(["extra": .int(1)]) { $1 })]
            options += [.object(members.merging(["extra": .null]) { $1 })]
            if let key = members.keys.sorted().first {
                var renamed = members
                renamed[key + "_"] = renamed.removeValue(forKey: key)
                options.append(.object(renamed))
                for key in members.keys.sorted() {
                    var without = members
                    without[key] = nil
                    options.append(.object(without))
                    options.append(.object(members.merging([key: .null]) { $1 }))
                }
            }
        default: break
        }
        let choice = options[Int(random.next() % UInt64(options.count))]
        return set(value, path[...], choice)
    }
}
