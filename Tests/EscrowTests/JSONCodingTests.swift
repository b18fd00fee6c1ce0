import Foundation
import Sodium
import Testing

@testable import Escrow

/// escrow's own Codable bridge (`JSONValueEncoder`/`JSONValueDecoder`) against Foundation's text round trip, which it
/// replaced: the same JSON values, the same models back, the same error messages.
@Suite struct JSONCodingTests {
    init() throws { try Sodium.initialize() }

    struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable, Hashable {
            var name: String
            var x: UInt8
        }
        var text: String
        var flag: Bool
        var big: Int64
        var small: Int
        var optional: String?
        var missing: Int?
        var list: [Inner]
        var map: [String: [String]]
        var nested: [[Int64]]
        var set: Set<Inner>
        var bytes: Base64Bytes
        var hex: HexBytes
        var time: UTCTime

        enum CodingKeys: String, CodingKey {
            case text, flag, big, small, optional, missing, list, map, nested, set, bytes, hex, time
        }
    }

    static let sample = Sample(
        text: "héllo \"wörld\"\n\u{1F600}",
        flag: true,
        big: Int64.min,
        small: 42,
        optional: "present",
        missing: nil,
        list: [.init(name: "alice", x: 1), .init(name: "bob", x: 255)],
        map: ["a": ["1", "2"], "": [], "ü": ["x"]],
        nested: [[], [Int64.max, -1]],
        set: [.init(name: "carol", x: 3)],
        bytes: Base64Bytes([0, 1, 2, 250, 255]),
        hex: HexBytes([0xde, 0xad, 0xbe, 0xef]),
        time: UTCTime(secondsSinceEpoch: 1_750_000_000)
    )

    /// What Foundation's encoder produced, parsed strictly: the reference.
    func foundation(_ model: some Encodable) throws -> JSONValue {
        try JSONParser.parse(Array(try JSONEncoder().encode(model)), source: "foundation")
    }

    @Test func encodingMatchesFoundation() throws {
        let value = try JSONCoding.encode(Self.sample)
        #expect(value == (try foundation(Self.sample)))
        #expect(value["missing"] == nil, "an absent optional is omitted")
        #expect(value["big"] == .int(Int64.min))
        #expect(try JSONCoding.decode(Sample.self, from: value, source: "s") == Self.sample)
    }

    @Test func escrowDocumentsEncodeAsFoundationDid() throws {
        let fixture = try Fixture()
        let vault = try fixture.store.vault(named: "acme")
        #expect(try JSONCoding.encode(vault.document) == (try foundation(vault.document)))
        let records = try fixture.store.auditRecords()
        for record in records { #expect(try JSONCoding.encode(record) == (try foundation(record))) }
        let request = try fixture.store.makeRequest(
            .reshare(vault: "acme", threshold: 2, custodians: ["alice", "bob"], reason: "test"),
            by: fixture.alice,
            lifetime: 3600
        )
        #expect(try JSONCoding.encode(request.document) == (try foundation(request.document)))
        let approval = try fixture.store.approve(request, by: fixture.custodians[1])
        #expect(try JSONCoding.encode(approval.document) == (try foundation(approval.document)))
        // Decoding gives the same models back.
        let decoded = try JSONCoding.decode(
            Vault.Document.self,
            from: try JSONCoding.encode(vault.document),
            source: "v"
        )
        #expect(try JSONCoding.encode(decoded) == (try JSONCoding.encode(vault.document)))
    }

    @Test func floatsAndHugeIntegersAreRefused() throws {
        struct Floaty: Encodable { var value: Double }
        struct Huge: Encodable { var value: UInt64 }
        #expect(throws: EscrowError.self) { _ = try JSONCoding.encode(Floaty(value: 1.5)) }
        #expect(throws: EscrowError.self) { _ = try JSONCoding.encode(Huge(value: UInt64.max)) }
        #expect((try? JSONCoding.encode(Huge(value: 7))) == .object(["value": .int(7)]))
    }

    @Test func decodingErrorsNameTheField() throws {
        var value = try JSONCoding.encode(Self.sample)
        func message(_ value: JSONValue) -> String? {
            do {
                _ = try JSONCoding.decode(Sample.self, from: value, source: "doc")
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(value.removing("flag")) == "doc: field 'flag' is missing")
        #expect(message(value.setting("flag", to: .null)) == "doc: field 'flag' is null")
        #expect(message(value.setting("text", to: .int(3))) == "doc: field 'text' is not a valid String")
        value = value.setting("list", to: .array([.object(["name": .string("x"), "x": .int(256)])]))
        #expect(message(value) == "doc: field 'list[0].x' Number 256 is not representable in Swift.")
        value = value.setting("list", to: .array([.object(["name": .string("x")])]))
        #expect(message(value) == "doc: field 'list[0].x' is missing")
        #expect(message(.array([])) == "doc: the document is not a valid Dictionary<String, Any>")
        let bad = try JSONCoding.encode(Self.sample).setting("bytes", to: .string("not base64!"))
        #expect(message(bad) == "doc: field 'bytes' is not unpadded base64url")
    }
}
