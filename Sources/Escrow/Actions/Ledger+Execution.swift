import Shamir
import Sodium

extension Ledger {
    /// Makes the `execution` event of a request that needs no values at the executor (`release`, `resplit`,
    /// `close`, `reopen`), with every valid approval so far.
    ///
    /// - Parameters:
    ///   - requestID: The request event.
    ///   - executor: A custodian.
    ///   - time: The event time.
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError/Code/quorumNotMet`` (the fold's reason) when approvals or acknowledgements are missing.
    public func execute(_ requestID: EventID, by executor: CustodianIdentity, at time: UTCTime) throws(EscrowError)
        -> Event
    {
        guard let request = state.requests[requestID] else {
            throw EscrowError(.notFound, "no request \(requestID.short) in this store: run 'escrow sync' first")
        }
        guard request.body.action != .open else {
            throw EscrowError(.invalidInput, "an open is executed by its requester with the request key")
        }
        guard request.execution == nil else {
            throw EscrowError(.alreadyUsed, "request \(requestID.short) was already executed")
        }
        let body = ExecutionBody(request: requestID.bytes, approvals: request.approvals.values.map(\.bytes))
        let event = try event(.execution, body: body, by: executor, at: time)
        if let refusal = dryRun(event) { throw EscrowError(.quorumNotMet, refusal.message) }
        return event
    }

    /// Rebuilds the keys of an approved `open` with the request's key pair, opens the values, and makes the
    /// `execution` event recording the approvals used and the working re-split subsets.
    ///
    /// Every value is checked against the digest its author published before use; the key is checked against the
    /// version's commitment before the value is decrypted.
    ///
    /// - Parameters:
    ///   - requestID: The request event.
    ///   - requestKeys: The request's X25519 key pair (made with the request; erase it afterwards).
    ///   - requester: The requester's identity (only the requester records an open).
    ///   - time: The event time.
    /// - Returns: The opened versions and the event (not yet appended).
    /// - Throws: ``EscrowError/Code/quorumNotMet`` (naming the versions short of approvals),
    ///   ``EscrowError/Code/badShare`` (naming the approver or contributor whose value fails).
    public func open(_ requestID: EventID, requestKeys: BoxKeyPair, by requester: CustodianIdentity, at time: UTCTime)
        throws(EscrowError) -> (versions: [OpenedVersion], event: Event)
    {
        guard let request = state.requests[requestID], request.body.action == .open else {
            throw EscrowError(.notFound, "no open request \(requestID.short) in this store: run 'escrow sync' first")
        }
        guard request.requesterKey == requester.publicIdentity.signingKey else {
            throw EscrowError(.notAuthorized, "request \(requestID.short) is \(request.requester)'s, not yours")
        }
        guard let recipient = request.body.recipient, recipient.key.bytes == requestKeys.publicKey else {
            throw EscrowError(.invalidInput, "this is not the key of request \(requestID.short)")
        }
        let approvals = request.approvals.values.sorted().compactMap { graph.event($0) }
        let rebuilder = VersionRebuilder(held: heldShares)
        var opened: [OpenedVersion] = []
        var resolved: [ResolvedVersion] = []
        var used: Set<EventID> = []
        for target in request.body.targets {
            let vault = try vault(named: target.vault.name)
            for id in target.versions {
                guard let version = vault.version(id.bytes) else { continue }
                let result = try rebuilder.rebuild(
                    version,
                    in: vault.reference,
                    approvals: approvals,
                    keys: requestKeys,
                    used: &used
                )
                opened.append(result.opened)
                if !result.levels.isEmpty {
                    resolved.append(ResolvedVersion(version: version.id, levels: result.levels))
                }
            }
        }
        let body = ExecutionBody(request: requestID.bytes, approvals: used.map(\.bytes), resolved: resolved)
        let event = try event(.execution, body: body, by: requester, at: time)
        if let refusal = dryRun(event) { throw EscrowError(.quorumNotMet, refusal.message) }
        return (opened, event)
    }
}
