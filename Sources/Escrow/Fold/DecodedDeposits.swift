/// The deposit record of a version, read from its `deposit` or `deposit.batch` event; batch bodies are decoded once
/// and indexed by version id (reading every version of a 1,000-item batch must not decode it 1,000 times).
///
/// The fold also keeps here the batch bodies it decoded during a trial (``Ledger/depositBatch(_:by:at:random:)``,
/// ``Ledger/dryRun(_:)``), so that appending the same event does not decode it again; a cold open keeps nothing.
/// Events are immutable and known by their content hash, so an entry never goes stale. Not thread-safe: used from
/// the ledger's thread only (``HeldShares`` reads batch items on the calling thread, never in its workers).
final class DecodedDeposits {
    private var batches: [EventID: [[UInt8]: DepositBody]] = [:]
    private var bodies: [EventID: DepositBatchBody] = [:]

    /// The strictly decoded body of a batch event, if it was kept.
    ///
    /// - Parameter event: A `deposit.batch` event.
    /// - Returns: The body, or `nil`.
    func keptBody(of event: Event) -> DepositBatchBody? {
        bodies[event.id]
    }

    /// Keeps the strictly decoded body of a batch event (decoded by the fold during a trial).
    ///
    /// - Parameters:
    ///   - body: The body, as ``EventBody/decode(_:of:)`` returned it.
    ///   - event: The event.
    func keep(_ body: DepositBatchBody, of event: Event) {
        bodies[event.id] = body
    }

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
                let body: DepositBatchBody
                if let kept = bodies[event.id] {
                    body = kept
                } else {
                    body = try EventBody.decode(DepositBatchBody.self, of: event)
                }
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
