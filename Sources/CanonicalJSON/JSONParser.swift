/// A strict JSON parser for canonical documents (escrow's files).
///
/// It accepts RFC 8259 JSON with three restrictions that rule out parser differentials (one reader seeing a different
/// document than another, e.g. than the signer): numbers must be integers that fit in `Int64`, an object may not repeat
/// a key, and nothing but whitespace may follow the value. Strings must be valid UTF-8. Nesting is limited to 64
/// levels. Errors name the source, line and column.
public struct JSONParser {
    private let bytes: [UInt8]
    private let source: String
    private var index = 0
    private var depth = 0

    /// The deepest nesting accepted.
    public static let maximumDepth = 64

    private init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// Parses one JSON document.
    ///
    /// - Parameters:
    ///   - bytes: The document's bytes (UTF-8).
    ///   - source: What to call the document in error messages (usually its path).
    /// - Returns: The parsed value.
    /// - Throws: ``JSONError/Code/invalidJSON`` naming the source, line and column of the first problem.
    /// - Complexity: O(n) in the document's length.
    public static func parse(_ bytes: [UInt8], source: String) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, source: source)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    private func failure(_ what: String) -> JSONError {
        var line = 1
        var column = 1
        for byte in bytes[0..<min(index, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        let place = index >= bytes.count ? "at end of data (truncated?)" : "line \(line), column \(column)"
        return JSONError(.invalidJSON, "\(source): invalid JSON \(place): \(what)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw failure("a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .int(try parseInteger())
        default:
            throw failure("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard index + count <= bytes.count, bytes[index..<index + count].elementsEqual(expected) else {
            throw failure("unknown literal")
        }
        index += count
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("a member name was expected")
            }
            let keyStart = index
            let key = try parseString()
            guard members[key] == nil else {
                index = keyStart
                throw failure("duplicate member \"\(JSONPath.printable(key))\"")
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("':' was expected") }
            index += 1
            skipWhitespace()
            members[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw failure("'}' was expected") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw failure("',' or '}' was expected") }
            index += 1
            return .object(members)
        }
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("']' was expected") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw failure("',' or ']' was expected") }
            index += 1
            return .array(elements)
        }
    }

    private mutating func parseInteger() throws(JSONError) -> Int64 {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        let digits = bytes[digitsStart..<index]
        guard !digits.isEmpty else { throw failure("a digit was expected") }
        guard digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            index = start
            throw failure("numbers may not have leading zeros")
        }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            index = start
            throw failure("only integers are allowed")
        }
        // Accumulate as a negative number so that Int64.min parses.
        var value: Int64 = 0
        for digit in digits {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else {
                index = start
                throw failure("integer out of range")
            }
            value = next
        }
        if negative { return value }
        guard value != Int64.min else {
            index = start
            throw failure("integer out of range")
        }
        return -value
    }

    private mutating func parseString() throws(JSONError) -> String {
        index += 1  // opening quote
        // Fast path: no escape before the closing quote (nearly every string escrow writes). Decoding repairs invalid
        // UTF-8, so the result is compared byte for byte with the input: any repair means the input was not UTF-8.
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            let slice = bytes[start..<index]
            let text = String(decoding: slice, as: UTF8.self)
            guard ascii || (text.utf8.count == slice.count && text.utf8.elementsEqual(slice)) else {
                throw failure("string is not valid UTF-8")
            }
            index += 1
            return text
        }
        index = start
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush(_ raw: inout [UInt8], into scalars: inout String.UnicodeScalarView) -> Bool {
            guard !raw.isEmpty else { return true }
            var iterator = raw.makeIterator()
            var decoder = UTF8()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): scalars.append(scalar)
                case .emptyInput: break loop
                case .error: return false
                }
            }
            raw.removeAll(keepingCapacity: true)
            return true
        }
        while true {
            guard index < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard flush(&raw, into: &scalars) else { throw failure("string is not valid UTF-8") }
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard flush(&raw, into: &scalars) else { throw failure("string is not valid UTF-8") }
                index += 1
                guard index < bytes.count else { throw failure("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try parseUnicodeEscape())
                default:
                    index -= 1
                    throw failure("unknown escape sequence")
                }
            case 0x00..<0x20:
                throw failure("control character in string")
            default:
                raw.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(nibble)
            index += 1
        }
        return value
    }

    private mutating func parseUnicodeEscape() throws(JSONError) -> Unicode.Scalar {
        let first = try parseHex4()
        var code = first
        if (0xD800...0xDBFF).contains(first) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure("unpaired surrogate in \\u escape") }
            index += 2
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw failure("unpaired surrogate in \\u escape") }
            code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("unpaired surrogate in \\u escape") }
        return scalar
    }
}
