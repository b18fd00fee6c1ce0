/// The string and byte-string tables of a fold snapshot (see ``FoldSnapshot``), kept as ranges of the snapshot's
/// bytes: a restored state decodes only the strings and records a command reads (see ``SnapshotRecords``).
///
/// Every string was checked to be UTF-8 when the tables were read.
final class SnapshotTables: Sendable {
    /// The snapshot's body.
    let bytes: [UInt8]
    private let strings: [Range<Int>]
    private let blobs: [Range<Int>]

    /// Wraps ranges of `bytes` read by ``SnapshotReader/readTables()``.
    init(bytes: [UInt8], strings: [Range<Int>], blobs: [Range<Int>]) {
        self.bytes = bytes
        self.strings = strings
        self.blobs = blobs
    }

    private static func outOfRange() -> EscrowError {
        EscrowError(.malformedFile, "the fold snapshot is malformed (an index is out of range)")
    }

    /// The bytes of the table's string `index`.
    ///
    /// - Throws: ``EscrowError/Code/malformedFile`` if there is no such string.
    func string(_ index: Int) throws(EscrowError) -> Range<Int> {
        guard index >= 0, index < strings.count else { throw Self.outOfRange() }
        return strings[index]
    }

    /// The bytes of the table's byte string `index`.
    ///
    /// - Throws: ``EscrowError/Code/malformedFile`` if there is no such byte string.
    func blob(_ index: Int) throws(EscrowError) -> Range<Int> {
        guard index >= 0, index < blobs.count else { throw Self.outOfRange() }
        return blobs[index]
    }

    /// The number of byte strings.
    var blobCount: Int { blobs.count }

    /// Orders two ranges of ``bytes`` by their bytes (lexicographically); `0` when equal.
    func compare(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in Self.compare(buffer, lhs, buffer[rhs]) }
    }

    /// Orders a range of ``bytes`` and `other` by their bytes (lexicographically); `0` when equal.
    func compare(_ range: Range<Int>, _ other: some Collection<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in Self.compare(buffer, range, other) }
    }

    private static func compare(
        _ buffer: UnsafeBufferPointer<UInt8>,
        _ range: Range<Int>,
        _ other: some Collection<UInt8>
    ) -> Int {
        var index = other.startIndex
        for position in range {
            guard index != other.endIndex else { return 1 }
            let (left, right) = (buffer[position], other[index])
            if left != right { return left < right ? -1 : 1 }
            other.formIndex(after: &index)
        }
        return index == other.endIndex ? 0 : -1
    }
}
