/// A document whose bytes are exactly the compact canonical form (``JSONWriter/canonical(_:)``) of its value, read in
/// one pass without writing the value again to compare.
///
/// ``parse(_:)`` is a fast path for documents that are signed or hashed as written: it accepts a document only when
/// ``JSONParser/parse(_:source:)`` would return the same value and ``JSONWriter/canonical(_:)`` would give back the
/// same bytes. It returns `nil` for anything else, including valid canonical documents it does not handle itself
/// (a string with an escape), so a caller falls back to the parser and the writer, which also produce the messages.
/// It records where each member of a top-level object sits, so that the canonical form of the object without one
/// member is a copy of the bytes without that member (``bytes(removingMember:)``).
public struct CanonicalDocument: Sendable {
    /// The value.
    public let value: JSONValue
    /// The document's bytes: the canonical form of ``value``.
    public let bytes: [UInt8]
    /// For a top-level object, each member's name and the range of `"name":value` in ``bytes``, in order.
    private let members: [Member]

    private struct Member: Sendable {
        let name: String
        let range: Range<Int>
    }

    /// Reads a document that is in compact canonical form.
    ///
    /// - Parameter bytes: The document's bytes (UTF-8, no trailing newline).
    /// - Returns: The document, or `nil` if the bytes are not JSON that ``JSONParser`` accepts, are not the
    ///   canonical form of their value, or hold a string with an escape (which this fast path leaves to the parser).
    /// - Complexity: O(n) in the document's length.
    public static func parse(_ bytes: [UInt8]) -> CanonicalDocument? {
        bytes.withUnsafeBufferPointer { buffer -> CanonicalDocument? in
            var scanner = CanonicalScanner(bytes: buffer)
            guard let value = scanner.value(depth: 0), scanner.index == buffer.count else { return nil }
            let members = scanner.topMembers.map { Member(name: $0.name, range: $0.range) }
            return CanonicalDocument(value: value, bytes: bytes, members: members)
        }
    }

    /// The canonical form of the top-level object without the member `name`: what
    /// `JSONWriter.canonical(value.removing(name))` gives, copied out of ``bytes``.
    ///
    /// - Parameter name: The member to leave out.
    /// - Returns: The bytes (``bytes`` unchanged if there is no such member or the value is not an object).
    public func bytes(removingMember name: String) -> [UInt8] {
        guard let position = members.firstIndex(where: { $0.name == name }) else { return bytes }
        var range = members[position].range
        if position > 0 {
            range = (range.lowerBound - 1)..<range.upperBound  // the comma before it
        } else if members.count > 1 {
            range = range.lowerBound..<(range.upperBound + 1)  // the comma after it
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count - range.count)
        output.append(contentsOf: bytes[..<range.lowerBound])
        output.append(contentsOf: bytes[range.upperBound...])
        return output
    }
}

/// The one-pass reader behind ``CanonicalDocument/parse(_:)``: every `nil` means "not handled here".
private struct CanonicalScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var topMembers: [(name: String, range: Range<Int>)] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The value at `index`, nested `depth` levels deep (as ``JSONParser`` counts).
    mutating func value(depth: Int) -> JSONValue? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer().map { .int($0) }
        default: return nil
        }
    }

    private mutating func literal(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard index + count <= bytes.count, bytes[index..<index + count].elementsEqual(expected) else { return false }
        index += count
        return true
    }

    private mutating func object(depth: Int) -> JSONValue? {
        guard depth <= JSONParser.maximumDepth else { return nil }
        index += 1
        var members: [String: JSONValue] = [:]
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        var previousKey: Range<Int>? = nil
        while true {
            let memberStart = index
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = index + 1
            guard let key = string() else { return nil }
            let keyRange = keyStart..<(index - 1)
            // Sorted by bytes and unique: the writer's order, and no duplicate for the parser to refuse.
            if let previousKey, !precedes(previousKey, keyRange) { return nil }
            previousKey = keyRange
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let member = value(depth: depth) else { return nil }
            members[key] = member
            if depth == 1 { topMembers.append((key, memberStart..<index)) }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            return .object(members)
        }
    }

    /// Whether the bytes in `first` sort strictly before those in `second`.
    private func precedes(_ first: Range<Int>, _ second: Range<Int>) -> Bool {
        bytes[first].lexicographicallyPrecedes(bytes[second])
    }

    private mutating func array(depth: Int) -> JSONValue? {
        guard depth <= JSONParser.maximumDepth else { return nil }
        index += 1
        var elements: [JSONValue] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            guard let element = value(depth: depth) else { return nil }
            elements.append(element)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { return nil }
            index += 1
            return .array(elements)
        }
    }

    /// A string without escapes or control characters (the writer's spelling of it is its bytes), valid UTF-8.
    private mutating func string() -> String? {
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
        let text = String(decoding: slice, as: UTF8.self)
        // Decoding repairs invalid UTF-8: any repair shows as a difference.
        guard ascii || (text.utf8.count == slice.count && text.utf8.elementsEqual(slice)) else { return nil }
        index += 1
        return text
    }

    /// An integer as the writer spells it: no leading zero, no `-0`, within `Int64`.
    private mutating func integer() -> Int64? {
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        let count = index - digitsStart
        guard count > 0, count == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        if negative, count == 1, bytes[digitsStart] == UInt8(ascii: "0") { return nil }
        // Accumulate as a negative number so that Int64.min reads.
        var value: Int64 = 0
        for position in digitsStart..<index {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(Int64(bytes[position] &- UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = next
        }
        if negative { return value }
        guard value != Int64.min else { return nil }
        return -value
    }
}
