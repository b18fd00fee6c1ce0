/// Writes the compact binary encoding of a ``FoldSnapshot``: little-endian fixed-width integers, unsigned LEB128
/// counts and lengths, and length-prefixed byte strings. Read back by ``SnapshotReader``.
///
/// An interning writer writes each string and byte string once, in tables (``tables()``), and an index where it
/// occurs: the same custodian names, keys, entry names and kinds recur in every vault, and reading them back then
/// shares one copy instead of allocating one per occurrence.
struct SnapshotWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []
    private let interning: Bool
    private var stringIndex: [String: Int] = [:]
    private var strings: [String] = []
    private var blobIndex: [[UInt8]: Int] = [:]
    private var blobs: [[UInt8]] = []

    /// Creates an empty writer, reserving `capacity` bytes.
    ///
    /// - Parameters:
    ///   - capacity: The bytes to reserve.
    ///   - interning: Whether strings and byte strings go into tables.
    init(capacity: Int = 0, interning: Bool = false) {
        bytes.reserveCapacity(capacity)
        self.interning = interning
    }

    /// The tables of an interning writer, to write before its bytes: the strings, then the byte strings.
    func tables() -> [UInt8] {
        var tables = SnapshotWriter()
        tables.count(strings.count)
        for string in strings { tables.string(string) }
        tables.count(blobs.count)
        for blob in blobs { tables.data(blob) }
        return tables.bytes
    }

    /// Appends one byte.
    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a boolean as one byte (0 or 1).
    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Appends a non-negative integer as unsigned LEB128.
    ///
    /// - Precondition: `value >= 0`.
    mutating func count(_ value: Int) {
        precondition(value >= 0, "a snapshot count is never negative")
        var rest = UInt64(value)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a signed 64-bit integer, little-endian.
    mutating func int64(_ value: Int64) {
        var rest = UInt64(bitPattern: value)
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// Appends a length-prefixed byte string (an index into the table when interning).
    mutating func data(_ value: [UInt8]) {
        if interning {
            if let index = blobIndex[value] {
                count(index)
            } else {
                blobIndex[value] = blobs.count
                count(blobs.count)
                blobs.append(value)
            }
            return
        }
        count(value.count)
        bytes.append(contentsOf: value)
    }

    /// Writes what `encode` writes as one length-prefixed record, which a reader can skip without decoding it
    /// (``SnapshotReader/record()``).
    mutating func record(_ encode: (inout SnapshotWriter) -> Void) {
        let start = bytes.count
        encode(&self)
        let record = Array(bytes[start...])
        bytes.removeSubrange(start...)
        count(record.count)
        bytes.append(contentsOf: record)
    }

    /// Appends bytes of a length both sides know (ids, keys), without a prefix.
    mutating func fixed(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
    }

    /// Appends a value that recurs (a policy, a set of keys): encoded by `encode` on a writer of its own, stored once
    /// in the table of byte strings, and written here as its index. Read back by ``SnapshotReader/shared(_:)``.
    ///
    /// - Parameter encode: Writes the value (on a non-interning writer).
    /// - Precondition: This writer is interning.
    mutating func shared(_ encode: (inout SnapshotWriter) -> Void) {
        precondition(interning, "shared values need the tables of an interning writer")
        var inner = SnapshotWriter()
        encode(&inner)
        data(inner.bytes)
    }

    /// Appends a length-prefixed UTF-8 string (an index into the table when interning).
    mutating func string(_ value: String) {
        if interning {
            if let index = stringIndex[value] {
                count(index)
            } else {
                stringIndex[value] = strings.count
                count(strings.count)
                strings.append(value)
            }
            return
        }
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    /// Appends an event id (32 bytes).
    mutating func id(_ value: EventID) {
        bytes.append(contentsOf: value.bytes)
    }

    /// Appends an optional event id: a presence byte, then the id.
    mutating func optionalID(_ value: EventID?) {
        bool(value != nil)
        if let value { id(value) }
    }

    /// Appends a string-to-string map, sorted by key.
    mutating func stringMap(_ value: [String: String]) {
        count(value.count)
        for (key, item) in value.sorted(by: { $0.key < $1.key }) {
            string(key)
            string(item)
        }
    }
}
