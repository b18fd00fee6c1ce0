import Synchronization

/// The deposit record of a version, read from its `deposit` or `deposit.batch` event; batch bodies are decoded once
/// and indexed by version id (reading every version of a 1,000-item batch must not decode it 1,000 times).
///
/// The fold also keeps here the batch bodies it decoded during a trial (``Ledger/depositBatch(_:by:at:random:)``,
/// ``Ledger/dryRun(_:)``), so that appending the same event does not decode it again; a cold open keeps nothing.
/// Events are immutable and known by their content hash, so an entry never goes stale. Thread-safe: ``HeldShares``
/// reads batch items from its workers (a batch missing from the cache is decoded and indexed outside the lock; if
/// two threads race, the first index kept wins and both read equal records).
final class DecodedDeposits: Sendable {
    private let batches = Mutex<[EventID: [[UInt8]: DepositBody]]>([:])
    private let bodies = Mutex<[EventID: DepositBatchBody]>([:])

    /// The strictly decoded body of a batch event, if it was kept.
    ///
    /// - Parameter event: A `deposit.batch` event.
    /// - Returns: The body, or `nil`.
    func keptBody(of event: Event) -> DepositBatchBody? {
        bodies.withLock { $0[event.id] }
    }

    /// Keeps the strictly decoded body of a batch event (decoded by the fold during a trial).
    ///
    /// - Parameters:
    ///   - body: The body, as ``EventBody/decode(_:of:)`` returned it.
    ///   - event: The event.
    func keep(_ body: DepositBatchBody, of event: Event) {
        bodies.withLock { $0[event.id] = body }
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
            if let index = batches.withLock({ $0[event.id] }) {
                found = index[version]
            } else {
                let body: DepositBatchBody
                if let kept = keptBody(of: event) {
                    body = kept
                } else {
                    body = try EventBody.decode(DepositBatchBody.self, of: event)
                }
                var index: [[UInt8]: DepositBody] = [:]
                index.reserveCapacity(body.deposits.count)
                for item in body.deposits where index[item.version.bytes] == nil { index[item.version.bytes] = item }
                let kept = batches.withLock { batches in
                    if let kept = batches[event.id] { return kept }
                    batches[event.id] = index
                    return index
                }
                found = kept[version]
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
