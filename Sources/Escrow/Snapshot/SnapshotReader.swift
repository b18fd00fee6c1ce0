/// Reads what ``SnapshotWriter`` wrote, checking every length against the bytes left: anything malformed throws
/// (``EscrowError/Code/malformedFile``), nothing traps, and no length read from the input allocates more than the
/// input holds.
struct SnapshotReader {
    private let bytes: [UInt8]
    private var offset: Int
    /// Where the bytes this reader may read end.
    private let end: Int
    /// The tables of an interning writer (``readTables()``), or `nil` before.
    private(set) var tables: SnapshotTables?
    /// Values decoded from byte strings of the table (``shared(_:)``), by index: a policy, a set of keys or a holder
    /// table recurs in every vault of a store, and is decoded once.
    private var sharedValues: [Int: Any] = [:]
    /// Per byte string of the table, the kinds of shared value it was checked to be (``checkShared(kind:_:)``).
    private var checkedShared: [UInt8] = []

    /// Reads `bytes` from `start`.
    init(_ bytes: [UInt8], from start: Int = 0) {
        self.bytes = bytes
        offset = start
        end = bytes.count
    }

    /// Reads one record (``record()``) of a snapshot whose tables were read.
    ///
    /// - Parameters:
    ///   - record: The record's bytes in `tables.bytes`.
    ///   - tables: The snapshot's tables.
    init(record: Range<Int>, tables: SnapshotTables) {
        bytes = tables.bytes
        offset = record.lowerBound
        end = record.upperBound
        self.tables = tables
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
    }

    /// Whether every byte was read.
    var isAtEnd: Bool { offset == end }

    /// The position of the next byte.
    var position: Int { offset }

    private static func malformed(_ what: String) -> EscrowError {
        EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
    }

    private var remaining: Int { end - offset }

    /// Reads one byte.
    mutating func byte() throws(EscrowError) -> UInt8 {
        guard offset < end else { throw Self.malformed("it ends early") }
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
        var strings: [Range<Int>] = []
        let stringCount = try count(ofItemsAtLeast: 1)
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let range = try skip(try count())
            guard Self.isUTF8(bytes, range) else { throw Self.malformed("a string is not UTF-8") }
            strings.append(range)
        }
        var blobs: [Range<Int>] = []
        let blobCount = try count(ofItemsAtLeast: 1)
        blobs.reserveCapacity(blobCount)
        for _ in 0..<blobCount { blobs.append(try skip(try count())) }
        tables = SnapshotTables(bytes: bytes, strings: strings, blobs: blobs)
    }

    /// Skips `count` bytes.
    ///
    /// - Returns: Their range.
    mutating func skip(_ count: Int) throws(EscrowError) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw Self.malformed("it ends early") }
        defer { offset += count }
        return offset..<offset + count
    }

    private static func isUTF8(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        if !bytes[range].contains(where: { $0 >= 0x80 }) { return true }
        return String(validating: bytes[range], as: UTF8.self) != nil
    }

    /// Checks a record (from ``record()``) with `check`, as a reader of that record alone would read it (its counts
    /// are bounded by the record), sharing this reader's decoded shared values.
    mutating func check(
        _ record: Range<Int>,
        _ check: (inout SnapshotReader) throws(EscrowError) -> Void
    ) throws(EscrowError) {
        guard let tables else { throw Self.malformed("a record outside the tables") }
        var reader = SnapshotReader(record: record, tables: tables)
        swap(&reader.checkedShared, &checkedShared)
        defer { swap(&reader.checkedShared, &checkedShared) }
        try check(&reader)
        guard reader.isAtEnd else { throw Self.malformed("a record has trailing data") }
    }

    /// Reads a length-prefixed record written by ``SnapshotWriter/record(_:)`` without decoding it.
    ///
    /// - Returns: The record's range, for ``init(record:tables:)``.
    mutating func record() throws(EscrowError) -> Range<Int> {
        try skip(try count())
    }

    /// Reads a length-prefixed byte string (or its index in the table).
    mutating func data() throws(EscrowError) -> [UInt8] {
        if let tables {
            return Array(bytes[try tables.blob(try count())])
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
        guard let tables else {
            throw Self.malformed("a shared value outside the tables")
        }
        let index = try count()
        let range = try tables.blob(index)
        if let value = sharedValues[index] as? Value { return value }
        var reader = SnapshotReader(bytes, range: range)
        let value = try decode(&reader)
        guard reader.isAtEnd else { throw Self.malformed("a shared value has trailing data") }
        sharedValues[index] = value
        return value
    }

    /// Checks a shared value (``shared(_:)``) by decoding it with `decode` the first time its index is met for
    /// `kind` (a bit of its own per decoder), without keeping the value: what ``checkVault()`` uses, so that
    /// ``shared(_:)`` with the same decoder later cannot fail.
    mutating func checkShared<Value>(
        kind: UInt8,
        _ decode: (inout SnapshotReader) throws(EscrowError) -> Value
    ) throws(EscrowError) {
        guard let tables else {
            throw Self.malformed("a shared value outside the tables")
        }
        let index = try count()
        let range = try tables.blob(index)
        if checkedShared.isEmpty { checkedShared = [UInt8](repeating: 0, count: tables.blobCount) }
        guard checkedShared[index] & kind == 0 else { return }
        var reader = SnapshotReader(bytes, range: range)
        _ = try decode(&reader)
        guard reader.isAtEnd else { throw Self.malformed("a shared value has trailing data") }
        checkedShared[index] |= kind
    }

    /// Reads a length-prefixed UTF-8 string (or its index in the table), refusing invalid UTF-8.
    mutating func string() throws(EscrowError) -> String {
        if let tables {
            return String(decoding: bytes[try tables.string(try count())], as: UTF8.self)
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
