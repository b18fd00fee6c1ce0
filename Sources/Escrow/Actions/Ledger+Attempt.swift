extension Ledger {
    /// Whether an attempt can be published in this store now: it names no request, or one this store knows (a
    /// request seen on another clone waits until this one has synced).
    ///
    /// - Parameter record: An attempt.
    /// - Returns: `true` if ``attempts(_:by:at:)`` accepts it.
    public func canPublish(_ record: AttemptRecord) -> Bool {
        guard let request = record.request else { return true }
        return (try? EventID(bytes: request.bytes)).map { state.requests[$0] != nil } ?? false
    }

    /// Makes the `attempt` event that publishes `records` (refused attempts and wrong passphrases of `author`'s
    /// identity, oldest first; at most ``AttemptBody/maximumCount``, each accepted by ``canPublish(_:)``).
    ///
    /// - Parameters:
    ///   - records: The attempts.
    ///   - author: The member who made them.
    ///   - time: The event's time.
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError/Code/notAuthorized`` with the fold's reason.
    public func attempts(_ records: [AttemptRecord], by author: CustodianIdentity, at time: UTCTime)
        throws(EscrowError) -> Event
    {
        let body = AttemptBody(attempts: records)
        let event = try event(.attempt, body: body, by: author, at: time)
        if let refusal = dryRun(event) { throw EscrowError(.notAuthorized, refusal.message) }
        return event
    }
}
