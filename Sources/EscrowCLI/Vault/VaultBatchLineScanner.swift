import Escrow
import Sodium

/// Reads one line of a `vault put --batch` file: a flat JSON object whose members are strings, booleans or integers.
/// The `value` member (the credential) is decoded straight into guarded memory and never becomes a `String`; the
/// other members are public and parsed as usual. Nested arrays and objects, `null` and fractions are refused.
struct VaultBatchLineScanner {
    /// The public members, by name.
    private(set) var members: [String: JSONValue] = [:]
    /// The `value` member, in guarded memory.
    private(set) var value: SecureBytes?

    private let line: UnsafeRawBufferPointer
    private var index = 0

    /// Scans one line.
    ///
    /// - Parameter line: The line's bytes (without its newline).
    /// - Throws: ``CLIError`` saying what is wrong and at which column.
    init(_ line: UnsafeRawBufferPointer) throws {
        self.line = line
        try scanObject()
    }

    /// The refusal for the current column.
    private func problem(_ text: String) -> CLIError {
        CLIError("not a valid JSON object: \(text) at column \(index + 1)")
    }

    /// The byte at the cursor, or `nil` at the end of the line.
    private var current: UInt8? { index < line.count ? line[index] : nil }

    /// Skips spaces, tabs and carriage returns.
    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0D { index += 1 }
    }

    /// Consumes `byte` after optional spaces, or refuses naming `what` was expected.
    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipSpace()
        guard current == byte else { throw problem("expected \(what)") }
        index += 1
    }

    /// Scans the whole line as one flat object.
    private mutating func scanObject() throws {
        try expect(UInt8(ascii: "{"), "'{'")
        skipSpace()
        if current == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                try expect(UInt8(ascii: "\""), "a member name")
                let name = try publicString()
                guard members[name] == nil, !(name == "value" && value != nil) else {
                    throw problem("member '\(NameRules.printable(name))' is given twice")
                }
                try expect(UInt8(ascii: ":"), "':'")
                skipSpace()
                if name == "value" {
                    guard current == UInt8(ascii: "\"") else { throw problem("\"value\" must be a string") }
                    index += 1
                    value = try secretString()
                } else {
                    members[name] = try publicValue()
                }
                skipSpace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                break
            }
        }
        skipSpace()
        guard index == line.count else { throw problem("unexpected text after the object") }
    }

    /// Scans a public member value: a string, `true`, `false` or an integer.
    private mutating func publicValue() throws -> JSONValue {
        switch current {
        case UInt8(ascii: "\"")?:
            index += 1
            return .string(try publicString())
        case UInt8(ascii: "t")?:
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f")?:
            try literal("false")
            return .bool(false)
        case let byte? where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte):
            let start = index
            if byte == UInt8(ascii: "-") { index += 1 }
            while let digit = current, (0x30...0x39).contains(digit) { index += 1 }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<index]), as: UTF8.self)
            guard let number = Int64(text) else { throw problem("expected an integer") }
            return .int(number)
        default:
            throw problem("expected a string, true, false or an integer")
        }
    }

    /// Consumes the exact bytes of `word`.
    private mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard current == byte else { throw problem("expected \(word)") }
            index += 1
        }
    }

    /// Decodes a public string (the opening quote is consumed).
    private mutating func publicString() throws -> String {
        var bytes = [UInt8](repeating: 0, count: line.count)
        let length = try bytes.withUnsafeMutableBytes { try decodeString(into: $0) }
        return String(decoding: bytes.prefix(length), as: UTF8.self)
    }

    /// Decodes the credential string into guarded memory (the opening quote is consumed).
    private mutating func secretString() throws -> SecureBytes {
        let buffer = SecureBytes(count: max(1, line.count))
        let length = try buffer.withUnsafeMutableBytes { try decodeString(into: $0) }
        return buffer.slice(0..<length)
    }

    /// Decodes a JSON string body (the opening quote is consumed) up to its closing quote; returns its length.
    private mutating func decodeString(into output: UnsafeMutableRawBufferPointer) throws -> Int {
        var length = 0
        func emit(_ byte: UInt8) {
            output[length] = byte
            length += 1
        }
        func emit(scalar: UInt32) {
            if scalar < 0x80 {
                emit(UInt8(scalar))
            } else if scalar < 0x800 {
                emit(UInt8(0xC0 | (scalar >> 6)))
                emit(UInt8(0x80 | (scalar & 0x3F)))
            } else if scalar < 0x10000 {
                emit(UInt8(0xE0 | (scalar >> 12)))
                emit(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                emit(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                emit(UInt8(0xF0 | (scalar >> 18)))
                emit(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                emit(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                emit(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        while true {
            guard let byte = current else { throw problem("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return length
            case UInt8(ascii: "\\"):
                guard let escaped = current else { throw problem("unterminated escape") }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): emit(escaped)
                case UInt8(ascii: "b"): emit(0x08)
                case UInt8(ascii: "f"): emit(0x0C)
                case UInt8(ascii: "n"): emit(0x0A)
                case UInt8(ascii: "r"): emit(0x0D)
                case UInt8(ascii: "t"): emit(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hexQuad()
                    if (0xD800...0xDBFF).contains(scalar) {
                        try literal("\\u")
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw problem("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw problem("unpaired surrogate")
                    }
                    emit(scalar: scalar)
                default:
                    throw problem("unknown escape")
                }
            case 0x00..<0x20:
                throw problem("raw control character in a string (escape it)")
            default:
                emit(byte)
            }
        }
    }

    /// Reads the four hex digits of a `\u` escape.
    ///
    /// Works on copies of the cursor and the line and writes the cursor back once: Swift 6.3.1's release build
    /// crashed (SIL verifier, `load_borrow` in OwnershipModelEliminator) on the loop that read `current` and threw
    /// `problem(…)` while advancing `self.index`, and before that on a `switch` over the digits.
    private mutating func hexQuad() throws -> UInt32 {
        let bytes = line
        var position = index
        var scalar: UInt32 = 0
        var failure: String?
        for _ in 0..<4 {
            guard position < bytes.count else {
                failure = "short \\u escape"
                break
            }
            guard let digit = Self.hexDigit(bytes[position]) else {
                failure = "bad \\u escape"
                break
            }
            scalar = (scalar << 4) | digit
            position += 1
        }
        index = position
        if let failure { throw problem(failure) }
        return scalar
    }

    /// The value of one hex digit, or `nil`.
    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        if byte >= 0x30 && byte <= 0x39 { return UInt32(byte) - 0x30 }
        if byte >= 0x41 && byte <= 0x46 { return UInt32(byte) - 0x41 + 10 }
        if byte >= 0x61 && byte <= 0x66 { return UInt32(byte) - 0x61 + 10 }
        return nil
    }
}
