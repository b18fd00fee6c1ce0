import Foundation
import Sodium
import Testing

@testable import Escrow

/// Escrow's adapter over the `CanonicalJSON` coders: escrow documents encode as Foundation encoded them, and failures
/// are `EscrowError`s naming the source and the field.
@Suite struct JSONCodingTests {
    init() throws { try Sodium.initialize() }

    struct Sample: Codable, Equatable {
        var bytes: Base64Bytes
        var hex: HexBytes
        var time: UTCTime
    }

    static let sample = Sample(
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
        #expect(try JSONCoding.decode(Sample.self, from: value, source: "s") == Self.sample)
    }

    @Test func eventBodiesEncodeAsFoundationDid() throws {
        let fixture = try LedgerFixture()
        let graph = fixture.ledger.graph
        let events = graph.canonicalOrder.compactMap { graph.event($0) }
        let create = try #require(events.first { $0.type == "vault.create" })
        let deposit = try #require(events.first { $0.type == "deposit" })
        let createBody = try EventBody.decode(VaultCreateBody.self, of: create)
        let depositBody = try EventBody.decode(DepositBody.self, of: deposit)
        #expect(try JSONCoding.encode(createBody) == (try foundation(createBody)))
        #expect(try JSONCoding.encode(depositBody) == (try foundation(depositBody)))
        // An unknown member anywhere in a body is refused by name.
        let value = try JSONCoding.encode(createBody)
        let policy = value["policy"] ?? .null
        let error = expectEscrowError(.malformedFile) {
            _ = try JSONCoding.decode(
                VaultCreateBody.self,
                from: value.setting("policy", to: policy.setting("extra", to: .int(1))),
                source: "v"
            )
        }
        #expect(error?.message == "v: field 'policy.extra' is not part of the format")
    }

    @Test func floatsAreRefused() throws {
        struct Floaty: Encodable { var value: Double }
        #expect(throws: EscrowError.self) { _ = try JSONCoding.encode(Floaty(value: 1.5)) }
    }

    @Test func decodingErrorsNameTheField() throws {
        let value = try JSONCoding.encode(Self.sample)
        func message(_ value: JSONValue) -> String? {
            do {
                _ = try JSONCoding.decode(Sample.self, from: value, source: "doc")
                return nil
            } catch {
                #expect(error.code == .malformedFile)
                return error.message
            }
        }
        #expect(message(value.removing("hex")) == "doc: field 'hex' is missing")
        #expect(
            message(value.setting("bytes", to: .string("not base64!")))
                == "doc: field 'bytes' is not unpadded base64url"
        )
        #expect(message(value.setting("hex", to: .string("DEAD"))) == "doc: field 'hex' is not lowercase hex")
        #expect(message(value.setting("extra", to: .null)) == "doc: field 'extra' is not part of the format")
    }

    @Test func anEscrowErrorAModelThrowsKeepsItsCode() {
        struct Refusing: Decodable {
            init(from decoder: any Decoder) throws { throw EscrowError(.tampered, "altered") }
        }
        let error = expectEscrowError(.tampered) { _ = try JSONCoding.decode(Refusing.self, from: .null, source: "f") }
        #expect(error?.message == "f: altered")
    }
}
