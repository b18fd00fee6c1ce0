/// Writes a ``JSONValue`` in escrow's canonical form.
///
/// Object members are sorted by the UTF-8 bytes of their names; strings escape only `"`, `\` and control characters
/// (short escapes where JSON has them, `\u00XX` otherwise) and keep every other character as UTF-8. The compact form
/// (no whitespace at all) is what signatures and hashes cover; the pretty form (two-space indentation, one member per
/// line, trailing newline) is what files contain, so that `git diff` shows one changed field per line.
public enum JSONWriter {
    /// The compact canonical serialisation.
    ///
    /// - Parameter value: The value to write.
    /// - Returns: Its UTF-8 bytes, without a trailing newline.
    /// - Complexity: O(n log n) in the number of members (sorting).
    public static func canonical(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, into: &output, indent: nil)
        return output
    }

    /// The pretty serialisation used for files: canonical member order, two-space indentation, trailing newline.
    ///
    /// - Parameter value: The value to write.
    /// - Returns: Its UTF-8 bytes.
    public static func pretty(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, into: &output, indent: 0)
        output.append(UInt8(ascii: "\n"))
        return output
    }

    private static func newline(_ output: inout [UInt8], _ indent: Int) {
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static func write(_ value: JSONValue, into output: inout [UInt8], indent: Int?) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): writeInteger(number, into: &output)
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if let indent { newline(&output, indent + 1) }
                write(element, into: &output, indent: indent.map { $0 + 1 })
            }
            if let indent, !elements.isEmpty { newline(&output, indent) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (position, member) in sorted.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if let indent { newline(&output, indent + 1) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                if indent != nil { output.append(UInt8(ascii: " ")) }
                write(member.value, into: &output, indent: indent.map { $0 + 1 })
            }
            if let indent, !members.isEmpty { newline(&output, indent) }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Writes `number` in decimal (what `String(number)` gives) without making a string.
    private static func writeInteger(_ number: Int64, into output: inout [UInt8]) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let start = output.count
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        output[start...].reverse()
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Nearly every string escrow writes needs no escape (and some are megabytes of base64): scan the contiguous
        // UTF-8 directly and copy it whole.
        let plain =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
            }
            ?? !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        if plain {
            output.append(contentsOf: text.utf8)
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
