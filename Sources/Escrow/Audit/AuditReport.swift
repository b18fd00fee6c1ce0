/// The result of a successful audit verification.
public struct AuditReport: Sendable {
    /// The number of records.
    public let recordCount: Int
    /// BLAKE2b-256 of the last line (``AuditChain/genesis`` for an empty log): anchor it elsewhere (a ticket, a
    /// chat message, a transparency log) to detect a later rewrite or truncation.
    public let headHash: [UInt8]
    /// The roster as replayed from the log.
    public let roster: Roster
    /// For each store file: the hash its last record gave it and that record's sequence number.
    public let fileHashes: [String: (hash: HexBytes, seq: Int64)]
    /// The store id named by the genesis record.
    public let storeID: String?
    /// The line whose hash equals the anchor that was checked, if one was given.
    public let anchorLine: Int?
}
