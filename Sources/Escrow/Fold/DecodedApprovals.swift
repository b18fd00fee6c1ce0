import Synchronization

/// Approval bodies decoded once per store (a bulk re-split's approval holds one contribution per version of every
/// vault: decoding it again per version, and scanning its contributions per version, is quadratic).
///
/// Events are immutable and known by their content hash, so an entry never goes stale: one instance is shared by a
/// ledger's fold, its trial folds and its share readers. Thread-safe: ``HeldShares`` reads it from its workers (a
/// body missing from the cache is decoded outside the lock; if two threads race, the first one kept wins and both
/// return equal entries).
final class DecodedApprovals: Sendable {
    /// A decoded approval with its contributions indexed by version id.
    struct Entry: Sendable {
        /// The strictly decoded body.
        let body: ApprovalBody
        /// The index in `body.contributions` of each version's first contribution.
        let contributionIndex: [[UInt8]: Int]

        /// The contribution for `version`, if the approval has one.
        func contribution(for version: [UInt8]) -> Contribution? {
            contributionIndex[version].map { body.contributions[$0] }
        }
    }

    private let entries = Mutex<[EventID: Entry]>([:])

    /// Records the body of an approval this process just made from `body` (its bytes are `body`'s canonical
    /// encoding), so that checking it against the fold does not decode it again.
    ///
    /// - Parameters:
    ///   - body: The body the event was made from.
    ///   - event: The event.
    func seed(_ body: ApprovalBody, of event: Event) {
        guard entries.withLock({ $0[event.id] }) == nil else { return }
        keep(Entry(body: body, contributionIndex: Self.index(body)), for: event.id)
    }

    /// Keeps `entry` unless another thread kept one first; returns the one kept.
    @discardableResult
    private func keep(_ entry: Entry, for id: EventID) -> Entry {
        entries.withLock { entries in
            if let kept = entries[id] { return kept }
            entries[id] = entry
            return entry
        }
    }

    private static func index(_ body: ApprovalBody) -> [[UInt8]: Int] {
        var index: [[UInt8]: Int] = [:]
        index.reserveCapacity(body.contributions.count)
        for (position, contribution) in body.contributions.enumerated() where index[contribution.version.bytes] == nil {
            index[contribution.version.bytes] = position
        }
        return index
    }

    /// The decoded approval `event` (decoded on first use).
    ///
    /// - Parameter event: An `approval` event.
    /// - Returns: The body and its index.
    /// - Throws: What ``EventBody/decode(_:of:)`` throws.
    func entry(for event: Event) throws(EscrowError) -> Entry {
        if let entry = entries.withLock({ $0[event.id] }) { return entry }
        let body = try EventBody.decode(ApprovalBody.self, of: event)
        return keep(Entry(body: body, contributionIndex: Self.index(body)), for: event.id)
    }
}
