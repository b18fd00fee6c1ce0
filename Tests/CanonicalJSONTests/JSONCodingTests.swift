import Foundation
import Testing

@testable import CanonicalJSON

/// The Codable bridge (`JSONValueEncoder`/`JSONValueDecoder`) against Foundation's text round trip, which it replaced:
/// the same JSON values, the same models back, the same error messages; and its refusal of unknown members.
@Suite struct JSONCodingTests {
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
        var code: Code

        enum CodingKeys: String, CodingKey {
            case text, flag, big, small, optional, missing, list, map, nested, set, code
        }
    }

    /// A value type with its own single-value coding that refuses some strings.
    struct Code: Codable, Equatable {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "is not a code" }
        }
        var text: String

        init(_ text: String) { self.text = text }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard text.hasPrefix("c-") else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "is not a code")
            }
            self.text = text
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
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
        code: Code("c-1")
    )

    /// What Foundation's encoder produced, parsed strictly: the reference.
    func foundation(_ model: some Encodable) throws -> JSONValue {
        try JSONParser.parse(Array(try JSONEncoder().encode(model)), source: "foundation")
    }

    func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws(JSONError) -> T {
        try JSONValueDecoder().decode(type, from: value, source: "doc")
    }

    @Test func encodingMatchesFoundation() throws {
        let value = try JSONValueEncoder().encode(Self.sample)
        #expect(value == (try foundation(Self.sample)))
        #expect(value["missing"] == nil, "an absent optional is omitted")
        #expect(value["big"] == .int(Int64.min))
        #expect(try decode(Sample.self, value) == Self.sample)
    }

    @Test func floatsAndHugeIntegersAreRefused() throws {
        struct Floaty: Encodable { var value: Double }
        struct Huge: Encodable { var value: UInt64 }
        let float = expectJSONError(.unencodable) { _ = try JSONValueEncoder().encode(Floaty(value: 1.5)) }
        #expect(float?.message == "cannot encode Floaty: field 'value' floating-point numbers are not allowed")
        expectJSONError(.unencodable) { _ = try JSONValueEncoder().encode(Huge(value: UInt64.max)) }
        #expect((try? JSONValueEncoder().encode(Huge(value: 7))) == .object(["value": .int(7)]))
    }

    @Test func decodingErrorsNameTheField() throws {
        var value = try JSONValueEncoder().encode(Self.sample)
        func message(_ value: JSONValue) -> String? {
            do {
                _ = try decode(Sample.self, value)
                return nil
            } catch {
                #expect(error.code == .invalidField)
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
        let bad = try JSONValueEncoder().encode(Self.sample).setting("code", to: .string("x"))
        #expect(message(bad) == "doc: field 'code' is not a code")
    }

    @Test func errorsAModelThrowsAreKeptAsUnderlying() throws {
        struct Refusing: Decodable {
            struct Refusal: Error {}
            init(from decoder: any Decoder) throws { throw Refusal() }
        }
        let error = expectJSONError(.rejectedByModel) { _ = try decode(Refusing.self, .object([:])) }
        #expect(error?.underlying is Refusing.Refusal)
    }

    /// Fuzzing regression (Fuzz/seeds/strict-decoder/regression-enum-value-control-char): refusals echoed a raw string
    /// value or member name from the document, so a file could put control characters (DEL, escape sequences, a
    /// newline) into the one-line message.
    @Test func refusalsCarryNoControlCharacters() throws {
        enum Role: String, Codable { case custodian }
        struct Member: Codable { var role: Role }
        let hostile = "c\u{7F}sto\u{1B}[2J\nDian\u{2028}"
        let badValue = expectJSONError(.invalidField) {
            _ = try decode(Member.self, .object(["role": .string(hostile)]))
        }
        let unknown = expectJSONError(.unknownKey) {
            _ = try decode(Member.self, .object(["role": .string("custodian"), hostile: .null]))
        }
        for message in [badValue?.message, unknown?.message] {
            let scalars = try #require(message).unicodeScalars
            #expect(!scalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" })
        }
        #expect(unknown?.message == "doc: field 'c?sto?[2J?Dian?' is not part of the format")
    }

    @Test func unknownMembersAreRefusedAtTheTop() throws {
        let value = try JSONValueEncoder().encode(Self.sample)
        let error = expectJSONError(.unknownKey) { _ = try decode(Sample.self, value.setting("extra", to: .int(1))) }
        #expect(error?.message == "doc: field 'extra' is not part of the format")
        // The first unknown member in UTF-8 order.
        let two = value.setting("zz", to: .null).setting("b-extra", to: .null)
        #expect(
            expectJSONError(.unknownKey) { _ = try decode(Sample.self, two) }?.message.contains("'b-extra'") == true
        )
        // Ignoring them is an explicit choice.
        let lenient = JSONValueDecoder(unknownKeys: .ignore)
        #expect(
            try lenient.decode(Sample.self, from: value.setting("extra", to: .int(1)), source: "doc") == Self.sample
        )
    }

    @Test func unknownMembersAreRefusedInNestedObjectsAndArrays() throws {
        struct Policy: Codable, Equatable {
            var threshold: Int
            var inner: Inner
        }
        struct Inner: Codable, Equatable { var name: String }
        struct Document: Codable, Equatable {
            var policy: Policy
            var members: [Inner]
            var optional: Inner?
        }
        let document = Document(
            policy: Policy(threshold: 2, inner: Inner(name: "a")),
            members: [Inner(name: "b"), Inner(name: "c")],
            optional: nil
        )
        let value = try JSONValueEncoder().encode(document)
        #expect(try decode(Document.self, value) == document)
        func refused(_ edited: JSONValue, _ field: String) {
            let error = expectJSONError(.unknownKey) { _ = try decode(Document.self, edited) }
            #expect(error?.message == "doc: field '\(field)' is not part of the format")
        }
        let policy = value["policy"] ?? .null
        refused(value.setting("policy", to: policy.setting("extra", to: .bool(true))), "policy.extra")
        let inner = policy["inner"] ?? .null
        refused(
            value.setting("policy", to: policy.setting("inner", to: inner.setting("x", to: .int(1)))),
            "policy.inner.x"
        )
        let members = JSONValue.array([.object(["name": .string("b")]), .object(["name": .string("c"), "y": .null])])
        refused(value.setting("members", to: members), "members[1].y")
        // A null optional is read (as absent), so it is not unknown; a member inside it is.
        #expect(try decode(Document.self, value.setting("optional", to: .null)) == document)
        refused(value.setting("optional", to: .object(["name": .string("o"), "z": .int(0)])), "optional.z")
        // Dictionaries read every member.
        let map = try decode([String: Inner].self, .object(["k": .object(["name": .string("v")])]))
        #expect(map == ["k": Inner(name: "v")])
    }

    @Test func aMemberReadByASecondContainerOverTheSameObjectIsKnown() throws {
        struct Tagged: Decodable, Equatable {
            enum Kind: String, CodingKey { case kind }
            enum Payload: String, CodingKey { case value }
            var kind: String
            var value: Int
            init(from decoder: any Decoder) throws {
                kind = try decoder.container(keyedBy: Kind.self).decode(String.self, forKey: .kind)
                value = try decoder.container(keyedBy: Payload.self).decode(Int.self, forKey: .value)
            }
        }
        let tagged = try decode(Tagged.self, .object(["kind": .string("k"), "value": .int(3)]))
        #expect(tagged.kind == "k" && tagged.value == 3)
        let error = expectJSONError(.unknownKey) {
            _ = try decode(Tagged.self, .object(["kind": .string("k"), "value": .int(3), "other": .null]))
        }
        #expect(error?.message == "doc: field 'other' is not part of the format")
    }

    /// With `nullOptionals: .refuse` an optional member written as `null` is refused, at every level and for every
    /// scalar and nested type (each has its own `decodeIfPresent`); absent optionals still read as `nil`. The default
    /// keeps Foundation's reading (`null` is absent).
    @Test func nullOptionalsAreRefusedWhenAsked() throws {
        struct Optionals: Codable, Equatable {
            struct Inner: Codable, Equatable { var tag: String? }
            var text: String?
            var flag: Bool?
            var small: Int?
            var byte: UInt8?
            var big: Int64?
            var wide: UInt64?
            var list: [Int]?
            var inner: Inner?
            var inners: [Inner]
        }
        let strict = JSONValueDecoder(nullOptionals: .refuse)
        let absent: JSONValue = .object(["inners": .array([.object([:])])])
        let model = try strict.decode(Optionals.self, from: absent, source: "doc")
        #expect(model == Optionals(inners: [.init(tag: nil)]))
        let full = try JSONValueEncoder().encode(
            Optionals(
                text: "t",
                flag: true,
                small: -1,
                byte: 255,
                big: Int64.min,
                wide: 7,
                list: [1],
                inner: .init(tag: "x"),
                inners: [.init(tag: "y")]
            )
        )
        #expect(try JSONValueEncoder().encode(try strict.decode(Optionals.self, from: full, source: "doc")) == full)
        for key in ["text", "flag", "small", "byte", "big", "wide", "list", "inner"] {
            let error = expectJSONError(.invalidField) {
                _ = try strict.decode(Optionals.self, from: full.setting(key, to: .null), source: "doc")
            }
            #expect(error?.message == "doc: field '\(key)' is null")
            let lenient = try JSONValueDecoder().decode(Optionals.self, from: full.setting(key, to: .null), source: "d")
            #expect(try JSONValueEncoder().encode(lenient) == full.removing(key))
        }
        let nested = full.setting("inners", to: .array([.object(["tag": .null])]))
        let error = expectJSONError(.invalidField) {
            _ = try strict.decode(Optionals.self, from: nested, source: "doc")
        }
        #expect(error?.message == "doc: field 'inners[0].tag' is null")
        // A wrong type in an optional member is refused either way.
        _ = expectJSONError(.invalidField) {
            _ = try strict.decode(Optionals.self, from: full.setting("byte", to: .int(256)), source: "doc")
        }
        _ = expectJSONError(.invalidField) {
            _ = try JSONValueDecoder().decode(Optionals.self, from: full.setting("flag", to: .int(1)), source: "doc")
        }
    }
}
