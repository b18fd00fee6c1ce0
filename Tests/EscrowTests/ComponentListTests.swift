import Sodium
import Testing

@testable import Escrow

/// The compact components of approvals (`ComponentList`): random lists round-trip byte for byte through the body
/// coding, and every malformed list (cut short, trailing bytes, non-canonical base64url, a sealed value or digest of
/// the wrong length) is refused, naming the member.
@Suite struct ComponentListTests {
    static func randomRecords(
        _ count: Int,
        digests: Bool,
        using random: inout LedgerSplitMix
    ) -> [SealedComponentRecord] {
        (0..<count).map { _ in
            let pathCount = Int(random.next() % 4)
            return SealedComponentRecord(
                x: UInt8.random(in: 0...255, using: &random),
                path: (0..<pathCount).map { _ in UInt8.random(in: 0...255, using: &random) },
                sealed: (0..<ComponentList.sealedCount).map { _ in UInt8.random(in: 0...255, using: &random) },
                digest: digests ? (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) } : nil
            )
        }
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func randomListsRoundTripThroughTheBody(seed: UInt64) throws {
        var random = LedgerSplitMix(seed: seed)
        for count in [0, 1, 2, 5, 17] {
            let body = ApprovalBody(
                request: Sodium.randomBytes(32),
                ephemeralKey: Sodium.randomBytes(32),
                shares: [
                    VersionComponents(
                        version: Sodium.randomBytes(16),
                        components: Self.randomRecords(count, digests: false, using: &random)
                    )
                ],
                contributions: [
                    Contribution(
                        version: Sodium.randomBytes(16),
                        levels: [Sodium.randomBytes(32)],
                        components: Self.randomRecords(count, digests: true, using: &random)
                    )
                ]
            )
            let value = try JSONCoding.encode(body)
            let decoded = try EventBody.decode(ApprovalBody.self, from: value, source: "body")
            #expect(decoded == body)
            #expect(try JSONCoding.encode(decoded) == value)
            // One string per version, the size the layout says.
            let text = try #require(value["shares"].flatMap { try? Self.first($0) }?["components"]?.stringValue)
            let bytes = try #require(Base64URL.decode(text))
            let pathBytes = body.shares[0].components.map(\.path.count).reduce(0, +)
            #expect(bytes.count == count * (2 + ComponentList.sealedCount) + pathBytes)
        }
    }

    static func first(_ value: JSONValue) throws -> JSONValue {
        guard case .array(let elements) = value, let first = elements.first else { throw EscrowError(.notFound, "") }
        return first
    }

    @Test func malformedListsAreRefusedNamingTheMember() throws {
        var random = LedgerSplitMix(seed: 5)
        let records = Self.randomRecords(3, digests: true, using: &random)
        let good = try ComponentList.encode(records, digests: true)
        let bytes = try #require(Base64URL.decode(good))
        #expect(try ComponentList.decode(good, digests: true) == records)
        // Read with the other digest rule, the same bytes are cut short or misaligned.
        #expect(throws: ComponentList.Malformed.self) { try ComponentList.decode(good, digests: false) }
        // Every truncation that does not end on a component boundary, and every extension by one to three bytes,
        // is refused; a cut on a boundary is the shorter list.
        var boundaries: Set<Int> = [0]
        var end = 0
        for record in records {
            end += 2 + record.path.count + ComponentList.sealedCount + 32
            boundaries.insert(end)
        }
        for length in 0..<bytes.count {
            let text = Base64URL.encode(Array(bytes.prefix(length)))
            if boundaries.contains(length) {
                #expect(
                    try ComponentList.decode(text, digests: true).count
                        == boundaries.filter { $0 > 0 && $0 <= length }.count
                )
            } else {
                #expect(throws: ComponentList.Malformed.self) { try ComponentList.decode(text, digests: true) }
            }
        }
        for extra in 1...3 {
            let text = Base64URL.encode(bytes + [UInt8](repeating: 1, count: extra))
            #expect(throws: ComponentList.Malformed.self) { try ComponentList.decode(text, digests: true) }
        }
        for bad in [good + "=", good.uppercased(), "+" + good.dropFirst(), good + "A"] {
            #expect(throws: ComponentList.Malformed.self) { try ComponentList.decode(bad, digests: true) }
        }
        // Within a body, the refusal names the member.
        let body = ApprovalBody(
            request: Sodium.randomBytes(32),
            ephemeralKey: Sodium.randomBytes(32),
            shares: [],
            contributions: [Contribution(version: Sodium.randomBytes(16), levels: [], components: records)]
        )
        let value = try JSONCoding.encode(body)
        guard case .array(var contributions)? = value["contributions"] else {
            Issue.record("no contributions")
            return
        }
        contributions[0] = contributions[0].setting(
            "components",
            to: .string(Base64URL.encode(Array(bytes.dropLast())))
        )
        let error = #expect(throws: EscrowError.self) {
            try EventBody.decode(
                ApprovalBody.self,
                from: value.setting("contributions", to: .array(contributions)),
                source: "ev"
            )
        }
        #expect(
            error?.message
                == "ev: field 'contributions[0].components' is not a list of sealed components: component 2 is cut short"
        )
    }

    @Test func componentsTheLayoutCannotHoldAreNotEncoded() throws {
        var random = LedgerSplitMix(seed: 9)
        let record = Self.randomRecords(1, digests: true, using: &random)[0]
        var short = record
        short.sealed = Base64Bytes(Array(record.sealed.bytes.dropLast()))
        var noDigest = record
        noDigest.digest = nil
        var longDigest = record
        longDigest.digest = HexBytes(Array(repeating: 0, count: 33))
        for records in [[short], [noDigest], [longDigest]] {
            #expect(throws: ComponentList.Malformed.self) { try ComponentList.encode(records, digests: true) }
        }
        #expect(throws: ComponentList.Malformed.self) { try ComponentList.encode([record], digests: false) }
        let body = ApprovalBody(
            request: Sodium.randomBytes(32),
            ephemeralKey: nil,
            shares: [VersionComponents(version: Sodium.randomBytes(16), components: [record])],
            contributions: []
        )
        #expect(throws: EscrowError.self) { try JSONCoding.encode(body) }
    }
}
