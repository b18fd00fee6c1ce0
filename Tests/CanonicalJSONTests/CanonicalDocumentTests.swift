import Testing

@testable import CanonicalJSON

/// The one-pass canonical reader is a fast path for "parse, then compare with the writer's output": it accepts
/// exactly the escape-free documents the slow path accepts, with the same value.
@Suite struct CanonicalDocumentTests {
    /// SplitMix64, so that failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet: [String] = [
        "a", "b", "z", "A", "0", "-", "_", " ", "é", "😀", "\u{7F}", "\u{2028}", "\"", "\\", "\n", "\u{01}", "/",
    ]

    static func randomString(_ random: inout SplitMix) -> String {
        let count = Int(random.next() % 6)
        return (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
    }

    static func randomValue(_ random: inout SplitMix, depth: Int = 0) -> JSONValue {
        switch random.next() % (depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2:
            let choices: [Int64] = [0, 1, -1, 10, -10, Int64.max, Int64.min, 1_234_567]
            return .int(random.next() % 2 == 0 ? choices[Int(random.next() % 8)] : Int64(bitPattern: random.next()))
        case 3, 4: return .string(randomString(&random))
        case 5: return .array((0..<Int(random.next() % 4)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int(random.next() % 5) {
                members[randomString(&random)] = randomValue(&random, depth: depth + 1)
            }
            return .object(members)
        }
    }

    /// Whether writing `value` escapes anything (the fast path leaves such documents to the parser).
    static func needsEscape(_ value: JSONValue) -> Bool {
        func escaped(_ text: String) -> Bool {
            text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        switch value {
        case .string(let text): return escaped(text)
        case .array(let elements): return elements.contains(where: needsEscape)
        case .object(let members): return members.contains { escaped($0.key) || needsEscape($0.value) }
        default: return false
        }
    }

    /// The slow path's verdict: the parsed value if the bytes are its canonical form.
    static func slowPath(_ bytes: [UInt8]) -> JSONValue? {
        guard let value = try? JSONParser.parse(bytes, source: "t"), JSONWriter.canonical(value) == bytes else {
            return nil
        }
        return value
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func canonicalDocumentsReadAsTheParserReadsThem(seed: UInt64) {
        var random = SplitMix(state: seed)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&random)
            let bytes = JSONWriter.canonical(value)
            let document = CanonicalDocument.parse(bytes)
            if Self.needsEscape(value) {
                #expect(document == nil)
                continue
            }
            #expect(document?.value == value)
            #expect(document?.bytes == bytes)
            guard case .object(let members) = value, let document else { continue }
            for key in members.keys {
                #expect(document.bytes(removingMember: key) == JSONWriter.canonical(value.removing(key)))
            }
            #expect(document.bytes(removingMember: "not-a-member-\(seed)") == bytes)
        }
    }

    @Test(arguments: [4, 5, 6, 7] as [UInt64])
    func mutatedDocumentsAreAcceptedOnlyWhenTheSlowPathAcceptsThem(seed: UInt64) {
        var random = SplitMix(state: seed)
        let insertions: [[UInt8]] = [
            Array(" ".utf8), Array("\n".utf8), Array("-".utf8), Array("0".utf8), Array(",".utf8), Array("\"".utf8),
            Array("\\".utf8), Array("}".utf8), Array("]".utf8), Array("-0".utf8), [0xC3], [0xFF], [0x01],
            Array("e".utf8),
        ]
        var accepted = 0
        for _ in 0..<6_000 {
            var bytes = JSONWriter.canonical(Self.randomValue(&random))
            for _ in 0..<(1 + Int(random.next() % 2)) {
                let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
                switch random.next() % 4 {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1 where position < bytes.count: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 2 where position + 1 < bytes.count: bytes.swapAt(position, position + 1)
                default:
                    bytes.insert(contentsOf: insertions[Int(random.next() % UInt64(insertions.count))], at: position)
                }
            }
            let slow = Self.slowPath(bytes)
            let document = CanonicalDocument.parse(bytes)
            if let document {
                accepted += 1
                #expect(slow == document.value, "\(String(decoding: bytes, as: UTF8.self))")
            } else if let slow {
                // Only an escape sends a canonical document to the slow path.
                #expect(Self.needsEscape(slow), "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 100)
    }

    @Test(arguments: [
        "", " ", "{} ", " {}", "{ }", "[1, 2]", "-0", "01", "1.0", "1e2", "9223372036854775808",
        "-9223372036854775809", #"{"b":1,"a":2}"#, #"{"a":1,"a":1}"#, #"{"a" :1}"#, "[1,]", "[,1]", "tru", "nulll",
        #""\u0041""#, #""a\"b""#, "\"\u{01}\"", "{\"a\":1}\n", "[", "{", "\"",
    ])
    func nonCanonicalOrUnhandledFormsGoToTheSlowPath(text: String) {
        #expect(CanonicalDocument.parse(Array(text.utf8)) == nil)
    }

    @Test func limitsAreThoseOfTheParser() {
        #expect(CanonicalDocument.parse(Array("-9223372036854775808".utf8))?.value == .int(Int64.min))
        #expect(CanonicalDocument.parse(Array("9223372036854775807".utf8))?.value == .int(Int64.max))
        let deepest = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: 64)
        #expect(CanonicalDocument.parse(Array(deepest.utf8)) != nil)
        let deeper = "[" + deepest + "]"
        #expect(CanonicalDocument.parse(Array(deeper.utf8)) == nil)
        #expect((try? JSONParser.parse(Array(deeper.utf8), source: "t")) == nil)
        // Invalid UTF-8 in a string or a member name.
        #expect(CanonicalDocument.parse([0x22, 0xC3, 0x22]) == nil)
        #expect(CanonicalDocument.parse([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) == nil)
        #expect(CanonicalDocument.parse(Array("\"é😀\u{2028}\"".utf8))?.value == .string("é😀\u{2028}"))
    }

    @Test func removingTheOnlyOrTheFirstMember() {
        let only = CanonicalDocument.parse(Array(#"{"signature":"x"}"#.utf8))
        #expect(only?.bytes(removingMember: "signature") == Array("{}".utf8))
        let first = CanonicalDocument.parse(Array(#"{"a":[1,{"b":2}],"c":null}"#.utf8))
        #expect(first?.bytes(removingMember: "a") == Array(#"{"c":null}"#.utf8))
        #expect(first?.bytes(removingMember: "c") == Array(#"{"a":[1,{"b":2}]}"#.utf8))
        // Nested members are not top-level members.
        #expect(first?.bytes(removingMember: "b") == Array(#"{"a":[1,{"b":2}],"c":null}"#.utf8))
        let array = CanonicalDocument.parse(Array("[1]".utf8))
        #expect(array?.bytes(removingMember: "a") == Array("[1]".utf8))
    }
}
