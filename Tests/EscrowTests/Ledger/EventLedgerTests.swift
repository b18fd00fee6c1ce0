import Foundation
import Sodium
import Testing

@testable import Escrow

@Suite("EventLedgerTests")
struct EventLedgerTests {
    /// The golden genesis: fixed key (seed 32 × 0x01), store id 00…0f, fixed time and body.
    /// The id and signature were computed independently (Python hashlib BLAKE2b-256 and pyca/cryptography Ed25519 over
    /// the length-prefixed context and the length-prefixed JSON); the key is RFC 8032's public key of 32 × 0x01.
    static let goldenJSON =
        #"{"author":{"key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w","name":"alice"},"body":{"roster_quoru"#
        + #"m":2,"store_name":"acme"},"format":"escrow-event","parents":[],"previous":null,"signature":"57bt07fk"#
        + #"_wraVUy7OJmlxAIjI9c6bbpgSQuxK5UaqqYe_QC9_7lMnHW1sKt84cn6K-y_U0BobWEHMGC0bXMoCA","store":"00010203040"#
        + #"5060708090a0b0c0d0e0f","time":"2026-12-03T09:00:00Z","type":"genesis","version":2}"#
    static let goldenID = "d0e31861cbd3b08c8dee87c27dd3561f54cef116888efb8ced7a5d20fe2b24c7"

    @Test func goldenEncoding() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let event = try ledgerGenesis(alice)
        #expect(String(decoding: event.bytes, as: UTF8.self) == Self.goldenJSON + "\n")
        #expect(event.id.description == Self.goldenID)
        #expect(
            Hex.encode(alice.publicIdentity.signingKey)
                == "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
        )
        #expect(event.relativePath == "events/\(Self.goldenID.prefix(2))/\(Self.goldenID).json")
        // The signature covers exactly the binding of the canonical JSON without "signature".
        let unsigned = try JSONParser.parse(Array(Self.goldenJSON.utf8), source: "golden").removing("signature")
        let canonical = JSONWriter.canonical(unsigned)
        let length = UInt32(canonical.count)
        let context = Array("escrow-event-v2".utf8)
        let message =
            [0, 0, 0, UInt8(context.count)] + context
            + [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + canonical
        #expect(
            SigningKeyPair.isValidSignature(event.signature, for: message, publicKey: alice.publicIdentity.signingKey)
        )
    }

    @Test func bindingLayout() {
        // The shared BindingEncoder: the context and then each field, each as a 4-byte big-endian length and its bytes.
        var encoder = BindingEncoder(context: "ctx")
        for field in [[1, 2], [], [UInt8](repeating: 7, count: 258)] as [[UInt8]] { encoder.append(field) }
        let expected: [UInt8] =
            [0, 0, 0, 3] + Array("ctx".utf8) + [0, 0, 0, 2, 1, 2] + [0, 0, 0, 0] + [0, 0, 1, 2]
            + Array(repeating: 7, count: 258)
        #expect(encoder.bytes == expected)
    }

    @Test func roundTrip() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let bob = try ledgerIdentity("bob", seedByte: 2)
        let genesis = try ledgerGenesis(alice)
        let event = try ledgerEvent(bob, parents: [genesis.id], previous: nil, type: "vault.create", tag: 5)
        let decoded = try Event.decode(event.bytes, expectedID: event.id, source: "x")
        #expect(decoded == event)
        #expect(decoded.id == event.id)
        #expect(decoded.type == "vault.create")
        #expect(decoded.author == EventAuthor(name: "bob", key: bob.publicIdentity.signingKey))
        #expect(decoded.parents == [genesis.id])
        #expect(decoded.previous == nil)
        #expect(decoded.time == ledgerTime(5))
        #expect(decoded.body == .object(["tag": .int(5)]))
        #expect(decoded.store == ledgerStoreID)
        #expect(decoded.bytes == event.bytes)
    }

    @Test func eventIDText() throws {
        let id = try EventID(hex: Self.goldenID)
        #expect(id.description == Self.goldenID)
        #expect(id.short == String(Self.goldenID.prefix(12)))
        let digits = Array(Self.goldenID.prefix(20).uppercased())
        let expected = stride(from: 0, to: 20, by: 4).map { String(digits[$0..<$0 + 4]) }.joined(separator: "-")
        #expect(id.fingerprint == expected)
        #expect(try EventID(bytes: id.bytes) == id)
        expectEscrowError(.invalidInput) { _ = try EventID(hex: Self.goldenID.uppercased()) }
        expectEscrowError(.invalidInput) { _ = try EventID(hex: String(Self.goldenID.dropLast())) }
        let low = try EventID(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let high = try EventID(bytes: [1] + [UInt8](repeating: 0, count: 31))
        #expect(low < high)
    }

    /// Re-encodes `event` with one member changed, canonically (so that only the signature can catch it).
    func edited(_ event: Event, _ change: (JSONValue) -> JSONValue) throws -> [UInt8] {
        let value = try JSONParser.parse(Array(event.bytes.dropLast()), source: "x")
        return JSONWriter.canonical(change(value)) + [UInt8(ascii: "\n")]
    }

    @Test func editedBodyRefused() throws {
        let event = try ledgerGenesis(try ledgerIdentity("alice", seedByte: 1))
        let bytes = try edited(event) { $0.setting("body", to: .object(["store_name": .string("evil")])) }
        let error = expectEscrowError(.tampered) { _ = try Event.decode(bytes, source: "events/x.json") }
        #expect(error?.message.hasPrefix("events/x.json: the signature does not verify") == true)
        // Under its old name, the edited file is refused before its signature is even checked.
        expectEscrowError(.tampered) { _ = try Event.decode(bytes, expectedID: event.id, source: "events/x.json") }
    }

    @Test func swappedAuthorKeyRefused() throws {
        let event = try ledgerGenesis(try ledgerIdentity("alice", seedByte: 1))
        let mallory = try ledgerIdentity("mallory", seedByte: 9)
        let bytes = try edited(event) {
            $0.setting(
                "author",
                to: .object([
                    "name": .string("alice"), "key": .string(Base64URL.encode(mallory.publicIdentity.signingKey)),
                ])
            )
        }
        expectEscrowError(.tampered) { _ = try Event.decode(bytes, source: "x") }
    }

    @Test func badSignatureRefused() throws {
        let event = try ledgerGenesis(try ledgerIdentity("alice", seedByte: 1))
        var signature = event.signature
        signature[10] ^= 1
        let bytes = try edited(event) { $0.setting("signature", to: .string(Base64URL.encode(signature))) }
        let error = expectEscrowError(.tampered) { _ = try Event.decode(bytes, source: "f.json") }
        #expect(error?.message.contains("signature does not verify") == true)
        let short = try edited(event) {
            $0.setting("signature", to: .string(Base64URL.encode(Array(signature.prefix(63)))))
        }
        expectEscrowError(.malformedFile) { _ = try Event.decode(short, source: "f.json") }
    }

    @Test func nonCanonicalRefused() throws {
        let event = try ledgerGenesis(try ledgerIdentity("alice", seedByte: 1))
        let text = String(decoding: event.bytes, as: UTF8.self)
        // A space after a colon.
        let spaced = Array(text.replacing("\"format\":", with: "\"format\": ").utf8)
        let error = expectEscrowError(.malformedFile) { _ = try Event.decode(spaced, source: "s.json") }
        #expect(error?.message.hasPrefix("s.json: not in canonical form") == true)
        // No final newline; two final newlines.
        expectEscrowError(.malformedFile) { _ = try Event.decode(Array(event.bytes.dropLast()), source: "s.json") }
        expectEscrowError(.malformedFile) { _ = try Event.decode(event.bytes + [0x0A], source: "s.json") }
        // "author" and "body" swapped: the same JSON, members out of order.
        guard let authorRange = text.range(of: #"{"author":"#), let bodyStart = text.range(of: #","body":"#),
            let formatStart = text.range(of: #","format":"#)
        else {
            Issue.record("unexpected golden layout")
            return
        }
        let author = String(text[text.index(after: authorRange.lowerBound)..<bodyStart.lowerBound])
        let body = String(text[text.index(after: bodyStart.lowerBound)..<formatStart.lowerBound])
        let reordered = "{" + body + "," + author + String(text[formatStart.lowerBound...])
        #expect(
            try JSONParser.parse(Array(reordered.utf8), source: "r")
                == JSONParser.parse(Array(event.bytes), source: "r")
        )
        let reorderError = expectEscrowError(.malformedFile) {
            _ = try Event.decode(Array(reordered.utf8), source: "r.json")
        }
        #expect(reorderError?.message.hasPrefix("r.json: not in canonical form") == true)
    }

    @Test func renamedFileRefused() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        let other = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id)
        let error = expectEscrowError(.tampered) {
            _ = try Event.decode(other.bytes, expectedID: genesis.id, source: "events/ab/renamed.json")
        }
        #expect(
            error?.message.hasPrefix("events/ab/renamed.json: the file's name is not the id of its contents") == true
        )
    }

    @Test func structuralRefusals() throws {
        let event = try ledgerGenesis(try ledgerIdentity("alice", seedByte: 1))
        let unknown = try edited(event) { $0.setting("extra", to: .int(1)) }
        let unknownError = expectEscrowError(.malformedFile) { _ = try Event.decode(unknown, source: "u") }
        #expect(unknownError?.message == "u: unknown member 'extra' in the event")
        let missing = try edited(event) { $0.removing("previous") }
        let missingError = expectEscrowError(.malformedFile) { _ = try Event.decode(missing, source: "m") }
        #expect(missingError?.message == "m: member 'previous' is missing from the event")
        let version = try edited(event) { $0.setting("version", to: .int(1)) }
        expectEscrowError(.unsupportedVersion) { _ = try Event.decode(version, source: "v") }
        let format = try edited(event) { $0.setting("format", to: .string("escrow-vault")) }
        expectEscrowError(.unsupportedVersion) { _ = try Event.decode(format, source: "v") }
        let badStore = try edited(event) { $0.setting("store", to: .string("XYZ")) }
        expectEscrowError(.malformedFile) { _ = try Event.decode(badStore, source: "b") }
        let badKey = try edited(event) {
            $0.setting("author", to: .object(["name": .string("alice"), "key": .string("AAAA=")]))
        }
        expectEscrowError(.malformedFile) { _ = try Event.decode(badKey, source: "b") }
    }

    @Test func parentsMustBeSortedAndDistinct() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        let a = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, tag: 1)
        let b = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, tag: 2)
        let (low, high) = a.id < b.id ? (a.id, b.id) : (b.id, a.id)
        // make() sorts and deduplicates.
        let merged = try ledgerEvent(alice, parents: [high, low, high], previous: a.id, tag: 3)
        #expect(merged.parents == [low, high])
        for parents in [[high, low], [low, low]] {
            let bytes = try edited(merged) {
                $0.setting("parents", to: .array(parents.map { .string($0.description) }))
            }
            let error = expectEscrowError(.malformedFile) { _ = try Event.decode(bytes, source: "p") }
            #expect(error?.message.hasPrefix("p: member 'parents' must be sorted and without repeats") == true)
        }
    }
}
