import Sodium
import Testing

@testable import Escrow

/// `Event.make` no longer parses what it wrote: it checks the rules `decode` checks on the values themselves. Every
/// event it makes is exactly what `decode` reads back from its bytes (every field), and it refuses what `decode` would
/// refuse of its own output (a body nested deeper than the parser allows, a time outside the format).
@Suite struct EventMakeTests {
    static func expectSameAsDecoded(_ event: Event) throws {
        let decoded = try Event.decode(event.bytes, expectedID: event.id, source: "again")
        #expect(decoded.id == event.id && decoded.bytes == event.bytes)
        #expect(decoded.store == event.store && decoded.type == event.type && decoded.author == event.author)
        #expect(decoded.parents == event.parents && decoded.previous == event.previous && decoded.time == event.time)
        #expect(decoded.body == event.body && decoded.signature == event.signature)
        #expect(JSONWriter.canonical(decoded.body) == JSONWriter.canonical(event.body))
    }

    @Test func everyEventOfARichStoreIsWhatDecodeReadsBack() throws {
        let fixture = try EventBodyOracleTests.richStore()
        for event in fixture.ledger.graph.events {
            try Self.expectSameAsDecoded(event)
            // The id, built by hand: BLAKE2b-256 over len ‖ "escrow-event-id-v2" ‖ len ‖ the file without its newline.
            let content = Array(event.bytes.dropLast())
            #expect(event.bytes.last == UInt8(ascii: "\n"))
            let length = UInt32(content.count)
            let message =
                [0, 0, 0, 18] + Array("escrow-event-id-v2".utf8)
                + [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
                + content
            #expect(event.id.bytes == GenericHash.hash(message, count: 32))
        }
    }

    /// From `Event.parallelCheckByteCount` the signature is checked and the id hashed on two cores: the same event
    /// as decode reads back, its id the hand-built digest, on both sides of the threshold.
    @Test func aBigEventIsWhatDecodeReadsBack() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        for size in [Event.parallelCheckByteCount - 600, Event.parallelCheckByteCount + 1, 3 << 20] {
            let event = try Event.make(
                store: ledgerStoreID,
                type: "x.big",
                author: alice,
                parents: [genesis.id],
                previous: nil,
                time: UTCTime(secondsSinceEpoch: 1_800_000_000),
                body: .object(["blob": .string(String(repeating: "é", count: size / 2))])
            )
            try Self.expectSameAsDecoded(event)
            let content = Array(event.bytes.dropLast())
            let length = UInt32(content.count)
            let message =
                [0, 0, 0, 18] + Array("escrow-event-id-v2".utf8)
                + [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
                + content
            #expect(event.id.bytes == GenericHash.hash(message, count: 32), "size \(size)")
        }
    }

    @Test func randomBodiesParentsAndTimesAreWhatDecodeReadsBack() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        var random = LedgerSplitMix(seed: 77)
        var parents = [genesis.id]
        for round in 0..<40 {
            var body = JSONValue.object(["tag": .int(Int64(round))])
            for _ in 0..<3 { body = BodyMutator.mutate(body, using: &random) }
            if case .object = body {} else { body = .object(["value": body]) }
            body = body.setting("text", to: .string("é\u{1}\"\\ \u{1F600}\(round)"))
            let event = try Event.make(
                store: ledgerStoreID,
                type: "x.test-\(round % 3)",
                author: alice,
                parents: parents.shuffled(using: &random),
                previous: round % 2 == 0 ? nil : parents.last,
                time: UTCTime(secondsSinceEpoch: Int64(random.next() % 250_000_000_000)),
                body: body
            )
            try Self.expectSameAsDecoded(event)
            parents.append(event.id)
            if parents.count > 3 { parents.removeFirst() }
        }
    }

    @Test func makeRefusesWhatDecodeWouldRefuseOfItsOutput() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        func nested(_ levels: Int) -> JSONValue {
            var value = JSONValue.int(1)
            for _ in 0..<levels { value = .array([value]) }
            return .object(["deep": value])
        }
        func make(_ body: JSONValue, time: UTCTime = ledgerTime(1)) throws -> Event {
            try Event.make(
                store: ledgerStoreID,
                type: "x",
                author: alice,
                parents: [],
                previous: nil,
                time: time,
                body: body
            )
        }
        // The event object is level 1 and the body level 2: 62 arrays inside the body reach level 64, the limit.
        try Self.expectSameAsDecoded(try make(nested(62)))
        #expect(throws: EscrowError.self) { try make(nested(63)) }
        // A year beyond 9999 has no YYYY-MM-DDTHH:MM:SSZ spelling.
        #expect(throws: EscrowError.self) { try make(.object([:]), time: UTCTime(secondsSinceEpoch: 253_402_300_800)) }
        #expect(throws: EscrowError.self) { try make(.object([:]), time: UTCTime(secondsSinceEpoch: -62_167_219_201)) }
    }
}
