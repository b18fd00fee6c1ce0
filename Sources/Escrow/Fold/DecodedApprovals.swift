/// Approval bodies decoded once per store (a bulk re-split's approval holds one contribution per version of every
/// vault: decoding it again per version, and scanning its contributions per version, is quadratic).
///
/// Events are immutable and known by their content hash, so an entry never goes stale: one instance is shared by a
/// ledger's fold, its trial folds and its share readers. Not thread-safe: used from the ledger's thread only.
final class DecodedApprovals {
    /// A decoded approval with its contributions indexed by version id.
    struct Entry {
        /// The strictly decoded body.
        let body: ApprovalBody
        /// The index in `body.contributions` of each version's first contribution.
        let contributionIndex: [[UInt8]: Int]

        /// The contribution for `version`, if the approval has one.
        func contribution(for version: [UInt8]) -> Contribution? {
            contributionIndex[version].map { body.contributions[$0] }
        }
    }

    private var entries: [EventID: Entry] = [:]

    /// Records the body of an approval this process just made from `body` (its bytes are `body`'s canonical
    /// encoding), so that checking it against the fold does not decode it again.
    ///
    /// - Parameters:
    ///   - body: The body the event was made from.
    ///   - event: The event.
    func seed(_ body: ApprovalBody, of event: Event) {
        guard entries[event.id] == nil else { return }
        entries[event.id] = Entry(body: body, contributionIndex: Self.index(body))
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
        if let entry = entries[event.id] { return entry }
        let body = try EventBody.decode(ApprovalBody.self, of: event)
        let entry = Entry(body: body, contributionIndex: Self.index(body))
        entries[event.id] = entry
        return entry
    }
}
