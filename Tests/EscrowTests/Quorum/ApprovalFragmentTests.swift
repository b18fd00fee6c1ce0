import Sodium
import Testing

@testable import Escrow

/// The bulk approval's fast writing against the slow one: contributions written by the workers
/// (``Contribution/fragment()``), the body put together from them (``ApprovalBody/fragment(contributions:)``,
/// ``JSONFragment/object(_:array:rest:)``), and `Event.make` writing the event around the body's bytes, each compared
/// with `JSONCoding`, the canonical writer of the whole value, and the signing of the whole unsigned event.
@Suite struct ApprovalFragmentTests {
    /// `bytes` cut into parts (some empty) at points that depend on `round` (`Event.make` writes their concatenation).
    static func cut(_ bytes: [UInt8], round: Int) -> [[UInt8]] {
        var parts: [[UInt8]] = round % 4 == 0 ? [[]] : []
        var start = 0
        var step = round % 7 + 1
        while start < bytes.count {
            let end = min(bytes.count, start + step)
            parts.append(Array(bytes[start..<end]))
            if step % 3 == 0 { parts.append([]) }
            start = end
            step = step * 5 % 11 + 1
        }
        return parts
    }

    /// The event `Event.make` made before it wrote the members around the body: the canonical writer of the whole
    /// event, signed over the context and the canonical unsigned event.
    static func referenceBytes(
        author: CustodianIdentity,
        type: String,
        parents: [EventID],
        previous: EventID?,
        time: UTCTime,
        body: JSONValue,
        store: [UInt8]
    ) -> (bytes: [UInt8], signature: [UInt8]) {
        let unsigned = JSONValue.object([
            "format": .string(Event.format),
            "version": .int(Event.version),
            "store": .string(Hex.encode(store)),
            "type": .string(type),
            "author": .object([
                "name": .string(author.publicIdentity.name),
                "key": .string(Base64URL.encode(author.publicIdentity.signingKey)),
            ]),
            "parents": .array(Set(parents).sorted().map { .string($0.description) }),
            "previous": previous.map { .string($0.description) } ?? .null,
            "time": .string(time.description),
            "body": body,
        ])
        var message = BindingEncoder(context: "escrow-event-v2")
        message.append(JSONWriter.canonical(unsigned))
        let signature = author.sign(message.bytes)
        var bytes = JSONWriter.canonical(unsigned.setting("signature", to: .string(Base64URL.encode(signature))))
        bytes.append(UInt8(ascii: "\n"))
        return (bytes, signature)
    }

    @Test func makeWritesAndSignsExactlyWhatTheWholeEventsCanonicalFormGives() throws {
        let authors = [
            try ledgerIdentity("alice", seedByte: 1), try ledgerIdentity("zoe_o-brien.2", seedByte: 2),
        ]
        let genesis = try ledgerGenesis(authors[0])
        var random = LedgerSplitMix(seed: 91)
        var parents = [genesis.id]
        for round in 0..<40 {
            var body = JSONValue.object(["tag": .int(Int64(round))])
            for _ in 0..<4 { body = BodyMutator.mutate(body, using: &random) }
            if case .object = body {} else { body = .object(["value": body]) }
            body = body.setting("text", to: .string("é\u{1}\"\\ \u{1F600}\(round)"))
            let author = authors[round % 2]
            let time = UTCTime(secondsSinceEpoch: Int64(random.next() % 250_000_000_000))
            let previous = round % 3 == 0 ? nil : parents.last
            let shuffled = parents.shuffled(using: &random)
            let event = try Event.make(
                store: ledgerStoreID,
                type: "x.test-\(round % 3)",
                author: author,
                parents: shuffled,
                previous: previous,
                time: time,
                body: body
            )
            let reference = Self.referenceBytes(
                author: author,
                type: "x.test-\(round % 3)",
                parents: shuffled,
                previous: previous,
                time: time,
                body: body,
                store: ledgerStoreID
            )
            #expect(event.bytes == reference.bytes)
            #expect(event.signature == reference.signature)
            // The form with the body's bytes given makes the same event.
            let given = try Event.make(
                store: ledgerStoreID,
                type: "x.test-\(round % 3)",
                author: author,
                parents: shuffled,
                previous: previous,
                time: time,
                body: body,
                canonicalBody: Self.cut(JSONWriter.canonical(body), round: round)
            )
            #expect(given.bytes == event.bytes && given.id == event.id && given.body == event.body)
            try EventMakeTests.expectSameAsDecoded(event)
            parents.append(event.id)
            if parents.count > 3 { parents.removeFirst() }
        }
    }

    @Test func anArrayMemberPutTogetherFromFragmentsIsTheWholeObjectWritten() throws {
        var random = LedgerSplitMix(seed: 5)
        for round in 0..<60 {
            var elements: [JSONFragment] = []
            for index in 0..<(round % 5) {
                var value = JSONValue.object(["i": .int(Int64(index))])
                for _ in 0..<3 { value = BodyMutator.mutate(value, using: &random) }
                elements.append(JSONFragment(value))
            }
            var rest: [String: JSONValue] = [:]
            for index in 0..<(round % 4) {
                var value = JSONValue.string("v\(index)")
                for _ in 0..<2 { value = BodyMutator.mutate(value, using: &random) }
                rest[["request", "shares", "ephemeral_key", "b", "contributions\u{0}", "é"][(round + index) % 6]] =
                    value
            }
            // Names sorting first (the copied form), after some of the rest, or in the rest (the written form).
            for name in ["contributions", "a", "zz", "b"] {
                let fragment = JSONFragment.object(name, array: elements, rest: rest)
                var whole = rest
                whole[name] = .array(elements.map(\.value))
                #expect(fragment.value == .object(whole))
                #expect(fragment.bytes == JSONWriter.canonical(.object(whole)), "round \(round), name \(name)")
            }
        }
    }

    @Test func aBulkApprovalsBodyIsWhatJSONCodingAndTheCanonicalWriterGive() throws {
        let arena = ReshareArenaTests()
        let fixture = try arena.store()
        for name in ["frank", "alice"] {
            let (approver, targets) = try arena.approver(name, in: fixture)
            var random = try deterministicRandom(42)
            let contents = try ReshareAction.contribute(targets, as: approver, random: &random)
            #expect(contents.contributionFragments.count == contents.contributions.count)
            for (contribution, fragment) in zip(contents.contributions, contents.contributionFragments) {
                let value = try JSONCoding.encode(contribution)
                #expect(fragment.value == value && fragment.bytes == JSONWriter.canonical(value))
            }
            let shares = [
                VersionComponents(
                    version: [9, 9],
                    components: [SealedComponentRecord(x: 2, path: [], sealed: Sodium.randomBytes(72), digest: nil)]
                )
            ]
            for (ephemeralKey, shares) in [
                (approver.sealer.ephemeralPublicKey, [VersionComponents]()), (nil, shares),
            ] {
                let body = ApprovalBody(
                    request: approver.request.event.bytes,
                    ephemeralKey: ephemeralKey,
                    shares: shares,
                    contributions: contents.contributions
                )
                let fragment = try body.fragment(contributions: contents.contributionFragments)
                let value = try JSONCoding.encode(body)
                #expect(fragment.value == value)
                #expect(fragment.bytes == JSONWriter.canonical(value))
            }
        }
    }

    @Test func aBulkApprovalIsTheEventTheSlowPathMakesOfItsBody() throws {
        let arena = ReshareArenaTests()
        let fixture = try arena.store()
        let (approver, _) = try arena.approver("frank", in: fixture)
        let frank = fixture.person("frank")
        let time = fixture.now()
        var random = try deterministicRandom(42)
        let event = try fixture.ledger.approve(approver.request.event, by: frank, at: time, random: &random)
        try EventMakeTests.expectSameAsDecoded(event)
        let decoded = try Event.decode(event.bytes, expectedID: event.id, source: "again")
        let body = try EventBody.decode(ApprovalBody.self, of: decoded)
        #expect(body.contributions.count == 72)
        // What the ledger seeded for the fold is what the bytes hold.
        #expect(try fixture.ledger.fold.approvals.entry(for: event).body == body)
        // The slow path (the whole body encoded, then written) signs the same bytes (Ed25519 is deterministic).
        let slow = try fixture.ledger.event(.approval, body: body, by: frank, at: time)
        #expect(slow.bytes == event.bytes && slow.id == event.id)
        try fixture.ledger.append([event])
        #expect(
            fixture.ledger.state.requests[approver.request.event]?.approvals[frank.publicIdentity.signingKey] != nil
        )
    }
}
