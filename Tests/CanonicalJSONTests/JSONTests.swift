import Testing

@testable import CanonicalJSON

@Suite struct JSONTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8), source: "t.json") }

    @Test func parsesEveryValueKind() throws {
        let value = try parse(#" {"a": [1, -2, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {}} "#)
        #expect(
            value
                == .object([
                    "a": .array([.int(1), .int(-2), .bool(true), .bool(false), .null, .string("x\né😀")]),
                    "b": .object([:]),
                ])
        )
    }

    /// Fuzzing regression (Fuzz/seeds/event/regression-duplicate-member-control-char): a duplicate member's name was
    /// echoed raw, so a document could put control characters into the one-line message.
    @Test func duplicateMemberIsShownPrintable() {
        let error = expectJSONError(.invalidJSON) { _ = try parse(#"{"b\u007fdy\r":1,"b\u007fdy\r":2}"#) }
        #expect(error?.message == #"t.json: invalid JSON line 1, column 18: duplicate member "b?dy?""#)
    }

    /// Integers are written as `String(number)` writes them (no string made), over the whole range.
    @Test func integersAreWrittenInDecimal() throws {
        var random = SystemRandomNumberGenerator()
        var numbers: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        for _ in 0..<2_000 {
            numbers.append(Int64.random(in: Int64.min...Int64.max, using: &random) >> (random.next() % 64))
        }
        for number in numbers {
            #expect(JSONWriter.canonical(.int(number)) == Array(String(number).utf8))
            #expect(
                JSONWriter.canonical(.array([.int(number), .null, .bool(true), .bool(false)]))
                    == Array("[\(number),null,true,false]".utf8)
            )
            #expect(try parse(String(decoding: JSONWriter.canonical(.int(number)), as: UTF8.self)) == .int(number))
        }
    }

    @Test func integerLimits() throws {
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .int(Int64.min))
        expectJSONError(.invalidJSON) { _ = try parse("9223372036854775808") }
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "duplicate member"),
        ("1.5", "only integers"),
        ("1e3", "only integers"),
        ("012", "leading zeros"),
        ("[1,]", "unexpected character"),
        (#"{"a":1} x"#, "unexpected data"),
        (#""\x""#, "unknown escape"),
        (#""\ud800""#, "unpaired surrogate"),
        ("\"a\u{01}\"", "control character"),
        (#"{"a":1"#, "truncated"),
        ("nul", "unknown literal"),
    ])
    func refuses(text: String, reason: String) {
        let error = expectJSONError(.invalidJSON) { _ = try parse(text) }
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func refusesInvalidUTF8() {
        expectJSONError(.invalidJSON) { _ = try JSONParser.parse([0x22, 0xC3, 0x28, 0x22], source: "t") }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        expectJSONError(.invalidJSON) { _ = try parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { _ = try parse(ok) }
    }

    @Test func errorNamesLineAndColumn() {
        let error = expectJSONError(.invalidJSON) { _ = try parse("{\n  \"a\": tru\n}") }
        #expect(error?.message == "t.json: invalid JSON line 2, column 8: unknown literal")
    }

    @Test func canonicalFormSortsKeysByBytesAndEscapesMinimally() throws {
        let value = JSONValue.object([
            "b": .string("q\"\\/\u{7}\t"), "a": .int(-3), "B": .array([.null, .bool(true)]), "é": .object([:]),
        ])
        let text = String(decoding: JSONWriter.canonical(value), as: UTF8.self)
        #expect(text == #"{"B":[null,true],"a":-3,"b":"q\"\\/\u0007\t","é":{}}"#)
        #expect(try JSONParser.parse(JSONWriter.canonical(value), source: "t") == value)
    }

    @Test func prettyFormIsStableAndParsesBack() throws {
        let value = JSONValue.object([
            "z": .array([.int(1), .object(["k": .string("v")])]), "a": .array([]), "m": .object([:]),
        ])
        let text = String(decoding: JSONWriter.pretty(value), as: UTF8.self)
        #expect(
            text == """
                {
                  "a": [],
                  "m": {},
                  "z": [
                    1,
                    {
                      "k": "v"
                    }
                  ]
                }

                """
        )
        #expect(try JSONParser.parse(Array(text.utf8), source: "t") == value)
    }
}
