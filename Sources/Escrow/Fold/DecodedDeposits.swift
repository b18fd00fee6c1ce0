/// The deposit record of a version, read from its `deposit` or `deposit.batch` event; batch bodies are decoded once
/// and indexed by version id (reading every version of a 1,000-item batch must not decode it 1,000 times).
///
/// Events are immutable and known by their content hash, so an entry never goes stale. Not thread-safe: used from
/// the ledger's thread only.
final class DecodedDeposits {
    private var batches: [EventID: [[UInt8]: DepositBody]] = [:]

    /// The deposit record of `version` in `event`.
    ///
    /// - Parameters:
    ///   - version: The version id.
    ///   - event: The version's `deposit` or `deposit.batch` event.
    /// - Returns: The record (a `deposit` body, or the batch's item for the version).
    /// - Throws: What ``EventBody/decode(_:of:)`` throws, or ``EscrowError/Code/malformedFile`` if the event is not a
    ///   deposit of the version.
    func record(of version: [UInt8], in event: Event) throws(EscrowError) -> DepositBody {
        let found: DepositBody?
        switch EventType(rawValue: event.type) {
        case .deposit:
            let body = try EventBody.decode(DepositBody.self, of: event)
            found = body.version.bytes == version ? body : nil
        case .depositBatch:
            if let index = batches[event.id] {
                found = index[version]
            } else {
                let body = try EventBody.decode(DepositBatchBody.self, of: event)
                var index: [[UInt8]: DepositBody] = [:]
                index.reserveCapacity(body.deposits.count)
                for item in body.deposits where index[item.version.bytes] == nil { index[item.version.bytes] = item }
                batches[event.id] = index
                found = index[version]
            }
        default:
            found = nil
        }
        guard let found else {
            throw EscrowError(
                .malformedFile,
                "event \(event.id.short) (\(NameRules.printable(event.type))) holds no deposit of version "
                    + Hex.encode(version).prefix(12)
            )
        }
        return found
    }
}
