import CanonicalJSON
import Escrow

/// `Event.decode` on arbitrary bytes: an accepted event is exactly its canonical encoding (byte-identical), decodes
/// again to the same event, and its id is stable.
enum EventTarget {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let event = try Event.decode(bytes, source: "event.json")
            require(event.bytes == bytes, "event: decoded bytes differ from the input")
            var canonical = JSONWriter.canonical(
                try CanonicalJSON.JSONParser.parse(Array(bytes.dropLast()), source: "again")
            )
            canonical.append(UInt8(ascii: "\n"))
            require(canonical == bytes, "event: an accepted event is not canonical")
            let again = try Event.decode(event.bytes, expectedID: event.id, source: "again")
            require(again == event && again.body == event.body, "event: decoding is not stable")
        } catch {
            checkError(error, "event")
        }
    }
}

/// Byte edits of a valid signed event from the fixture: whatever is accepted must be the original (the signature
/// covers everything, and the canonical form leaves no slack).
enum EventMutationTarget {
    static func run(_ input: inout FuzzInput) {
        let events = Fixture.shared.events
        let original = events[Int(input.byte()) % events.count].bytes
        var bytes = original
        let edits = Int(input.byte() % 8) + 1
        for _ in 0..<edits {
            guard input.remaining > 0 else { break }
            let operation = input.byte()
            let position = (Int(input.byte()) << 8 | Int(input.byte())) % (bytes.count + 1)
            let value = input.byte()
            switch operation % 4 {
            case 0 where position < bytes.count: bytes[position] = value
            case 1 where position < bytes.count: bytes[position] ^= 1 << (value % 8)
            case 2: bytes.insert(value, at: position)
            case 3 where position < bytes.count: bytes.remove(at: position)
            default: break
            }
        }
        do {
            let event = try Event.decode(bytes, source: "mutant.json")
            require(bytes == original && event.bytes == original, "event mutation: an edited event was accepted")
        } catch {
            checkError(error, "event mutation")
        }
    }
}
