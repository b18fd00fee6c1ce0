/// The mark of an audit record written by a batch commit (``StoreSession/commitBatch(_:actor:)``): the records of one
/// batch are appended together with one `write` and one `fsync`, and each carries, in its signed `details`,
/// `batch_id` (8 random bytes, hex), `batch_index` (1…n) and `batch_size` (n).
///
/// The mark is what lets recovery tell a complete batch from a torn one (a crash during the append can leave the first
/// records of a batch without the last ones: then the whole batch is cut off, because its commit point is the last
/// byte), and what lets ``AuditVerifier`` refuse a batch cut short by hand. A commit of a single record carries no mark.
public struct AuditBatch: Hashable, Sendable {
    /// The `details` key of the batch id.
    public static let idKey = "batch_id"
    /// The `details` key of the record's position in its batch (1-based).
    public static let indexKey = "batch_index"
    /// The `details` key of the number of records in the batch.
    public static let sizeKey = "batch_size"
    /// The length of a batch id in bytes.
    public static let idCount = 8

    /// The batch id (hex).
    public let id: String
    /// The record's position in its batch, 1…``size``.
    public let index: Int
    /// The number of records in the batch (at least 2).
    public let size: Int

    /// Creates a mark.
    ///
    /// - Parameters:
    ///   - id: The batch id (hex).
    ///   - index: The position, 1-based.
    ///   - size: The number of records.
    public init(id: String, index: Int, size: Int) {
        self.id = id
        self.index = index
        self.size = size
    }

    /// Whether this is the last record of its batch.
    public var isLast: Bool { index == size }

    /// The mark of a record, or `nil` for a record that was committed alone.
    ///
    /// - Parameter record: A parsed record.
    /// - Returns: The mark, or `nil`.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the mark is partial or out of range (never written by escrow).
    public static func of(_ record: AuditRecord) throws(EscrowError) -> AuditBatch? {
        let id = record.details[idKey]
        let index = record.details[indexKey]
        let size = record.details[sizeKey]
        if id == nil, index == nil, size == nil { return nil }
        guard let id, let indexText = index, let sizeText = size, let index = Int(indexText), let size = Int(sizeText),
            id.count == 2 * idCount, id.allSatisfy(\.isHexDigit), size >= 2, (1...size).contains(index),
            String(index) == indexText, String(size) == sizeText
        else {
            throw EscrowError(.malformedFile, "audit record \(record.seq) has a malformed batch mark")
        }
        return AuditBatch(id: id, index: index, size: size)
    }

    /// Adds the mark to a record's details.
    ///
    /// - Parameter details: The record's details.
    func mark(_ details: inout [String: String]) {
        details[Self.idKey] = id
        details[Self.indexKey] = String(index)
        details[Self.sizeKey] = String(size)
    }
}
