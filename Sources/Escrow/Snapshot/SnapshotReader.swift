/// Reads what ``SnapshotWriter`` wrote, checking every length against the bytes left: anything malformed throws
/// (``EscrowError/Code/malformedFile``), nothing traps, and no length read from the input allocates more than the
/// input holds.
struct SnapshotReader {
    private let bytes: [UInt8]
    private var offset: Int
    /// The tables of an interning writer (``readTables()``), or `nil` before.
    private var strings: [String]?
    private var blobs: [[UInt8]]?
    /// Values decoded from byte strings of the table (``shared(_:)``), by index: a policy, a set of keys or a holder
    /// table recurs in every vault of a store, and is decoded once.
    private var sharedValues: [Int: Any] = [:]

    /// Reads `bytes` from `start`.
    init(_ bytes: [UInt8], from start: Int = 0) {
        self.bytes = bytes
        offset = start
    }

    /// Whether every byte was read.
    var isAtEnd: Bool { offset == bytes.count }

    /// The position of the next byte.
    var position: Int { offset }

    private static func malformed(_ what: String) -> EscrowError {
        EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
    }

    private var remaining: Int { bytes.count - offset }

    /// Reads one byte.
    mutating func byte() throws(EscrowError) -> UInt8 {
        guard offset < bytes.count else { throw Self.malformed("it ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a boolean (0 or 1).
    mutating func bool() throws(EscrowError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Self.malformed("a flag is neither 0 nor 1")
        }
    }

    /// Reads an unsigned LEB128 count of at most 2^40.
    mutating func count() throws(EscrowError) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { break }
            shift += 7
            guard shift <= 35 else { throw Self.malformed("a count is too large") }
        }
        guard value <= 1 << 40 else { throw Self.malformed("a count is too large") }
        return Int(value)
    }

    /// Reads a count of items each taking at least `minimumItemSize` bytes, refusing one the rest cannot hold.
    mutating func count(ofItemsAtLeast minimumItemSize: Int) throws(EscrowError) -> Int {
        let value = try count()
        guard value <= remaining / max(minimumItemSize, 1) else { throw Self.malformed("a count exceeds the data") }
        return value
    }

    /// Reads a little-endian signed 64-bit integer.
    mutating func int64() throws(EscrowError) -> Int64 {
        let raw = try fixed(8)
        var value: UInt64 = 0
        for byte in raw.reversed() { value = value << 8 | UInt64(byte) }
        return Int64(bitPattern: value)
    }

    /// Reads a non-negative integer written with ``SnapshotWriter/int64(_:)`` that fits an `Int`.
    mutating func int() throws(EscrowError) -> Int {
        let value = try int64()
        guard let result = Int(exactly: value) else { throw Self.malformed("an integer does not fit") }
        return result
    }

    /// Reads `count` bytes.
    mutating func fixed(_ count: Int) throws(EscrowError) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw Self.malformed("it ends early") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads the tables of an interning writer (``SnapshotWriter/tables()``): from then on, ``string()`` and
    /// ``data()`` read indices into them.
    mutating func readTables() throws(EscrowError) {
        var strings: [String] = []
        let stringCount = try count(ofItemsAtLeast: 1)
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount { strings.append(try string()) }
        var blobs: [[UInt8]] = []
        let blobCount = try count(ofItemsAtLeast: 1)
        blobs.reserveCapacity(blobCount)
        for _ in 0..<blobCount { blobs.append(try data()) }
        self.strings = strings
        self.blobs = blobs
    }

    /// Reads a length-prefixed byte string (or its index in the table).
    mutating func data() throws(EscrowError) -> [UInt8] {
        if let blobs {
            let index = try count()
            guard index < blobs.count else { throw Self.malformed("an index is out of range") }
            return blobs[index]
        }
        return try fixed(try count())
    }

    /// Reads a value that an interning writer stored once in its table of byte strings
    /// (``SnapshotWriter/shared(_:)``), decoding it with `decode` on a reader of its bytes the first time its index
    /// is read, and sharing the result afterwards.
    ///
    /// - Parameter decode: Reads the value from its own (non-interning) reader.
    /// - Returns: The value.
    /// - Throws: ``EscrowError/Code/malformedFile`` for a bad index or trailing bytes, or what `decode` throws.
    mutating func shared<Value>(_ decode: (inout SnapshotReader) throws(EscrowError) -> Value) throws(EscrowError)
        -> Value
    {
        guard let blobs else {
            throw Self.malformed("a shared value outside the tables")
        }
        let index = try count()
        guard index < blobs.count else { throw Self.malformed("an index is out of range") }
        if let value = sharedValues[index] as? Value { return value }
        var reader = SnapshotReader(blobs[index])
        let value = try decode(&reader)
        guard reader.isAtEnd else { throw Self.malformed("a shared value has trailing data") }
        sharedValues[index] = value
        return value
    }

    /// Reads a length-prefixed UTF-8 string (or its index in the table), refusing invalid UTF-8.
    mutating func string() throws(EscrowError) -> String {
        if let strings {
            let index = try count()
            guard index < strings.count else { throw Self.malformed("an index is out of range") }
            return strings[index]
        }
        let length = try count()
        guard length <= remaining else { throw Self.malformed("it ends early") }
        defer { offset += length }
        guard let text = String(validating: bytes[offset..<offset + length], as: UTF8.self) else {
            throw Self.malformed("a string is not UTF-8")
        }
        return text
    }

    /// Reads an event id.
    mutating func id() throws(EscrowError) -> EventID {
        try EventID(bytes: try fixed(EventID.byteCount))
    }

    /// Reads an optional event id.
    mutating func optionalID() throws(EscrowError) -> EventID? {
        try bool() ? try id() : nil
    }

    /// Reads a string-to-string map.
    mutating func stringMap() throws(EscrowError) -> [String: String] {
        let count = try count(ofItemsAtLeast: 2)
        guard count > 0 else { return [:] }
        var map: [String: String] = [:]
        map.reserveCapacity(count)
        for _ in 0..<count {
            let key = try string()
            map[key] = try string()
        }
        guard map.count == count else { throw Self.malformed("a key is repeated") }
        return map
    }
}
