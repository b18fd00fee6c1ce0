import Shamir
import Sodium

/// The generic driver of quorum actions: what every request, approval and execution does, whatever the action, with
/// the action's own part asked of its ``QuorumAction`` type (see ``QuorumActions``).
extension Ledger {
    /// The target of an `open` or `release`: the current versions of the named entries (all entries if none is
    /// named).
    ///
    /// - Parameters:
    ///   - vaultName: The vault.
    ///   - entries: Entry names, or empty for every entry.
    /// - Returns: The target.
    /// - Throws: ``EscrowError/Code/notFound`` for an unknown vault or entry.
    public func versionsTarget(vault vaultName: String, entries: [String]) throws(EscrowError) -> RequestTarget {
        try OpenAction.target(vault: vaultName, entries: entries, in: self)
    }

    /// The target of a re-split: the vault's policy minus `remove`, plus `add`, with a new threshold if given
    /// (custodians who stay keep their x-coordinates).
    ///
    /// - Parameters:
    ///   - vaultName: The vault.
    ///   - remove: Custodians leaving the policy.
    ///   - add: Custodians joining it.
    ///   - threshold: The new threshold, or `nil` to keep it.
    /// - Returns: The target.
    /// - Throws: ``EscrowError`` for unknown names or a bad policy.
    public func resplitTarget(vault vaultName: String, remove: [String], add: [String], threshold: Int?)
        throws(EscrowError) -> RequestTarget
    {
        try ReshareAction.target(vault: vaultName, remove: remove, add: add, threshold: threshold, in: self)
    }

    /// Makes a `request` event. Custody challenges are added for every custodian a target adds (a re-split's).
    ///
    /// - Parameters:
    ///   - action: What is asked.
    ///   - targets: The vaults (one or many).
    ///   - recipient: Who receives shares (`open`: the requester's fresh key; `release`: the customer's).
    ///   - reason: Why.
    ///   - expiresAt: The deadline for approvals.
    ///   - force: Open a closed vault (recorded).
    ///   - requester: The requesting custodian.
    ///   - time: The event time.
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError`` if the store would refuse it (the fold's reason).
    public func request(
        _ action: RequestAction,
        targets: [RequestTarget],
        recipient: RequestRecipient?,
        reason: String,
        expiresAt: UTCTime,
        force: Bool = false,
        by requester: CustodianIdentity,
        at time: UTCTime
    ) throws(EscrowError) -> Event {
        try NameRules.validateReason(reason)
        let type = QuorumActions.action(for: action)
        var added: [[UInt8]] = []
        for target in targets {
            guard let vault = state.vault(target.vault) else { continue }
            for key in type.addedCustodians(target, of: vault) where !added.contains(key) { added.append(key) }
        }
        let body = RequestBody(
            request: Sodium.randomBytes(16),
            action: action,
            targets: targets,
            recipient: recipient,
            reason: reason,
            expiresAt: expiresAt,
            force: force,
            challenges: try challenges(for: added)
        )
        let event = try event(.request, body: body, by: requester, at: time)
        fold.madeBodies.keep(DecodedBodies.made(body), of: event)
        if let refusal = dryRun(event) { throw EscrowError(.notAuthorized, refusal.message) }
        return event
    }

    /// Makes `approver`'s `approval` event for a request, carrying exactly what the action needs from it: its
    /// shares of the requested versions re-sealed to the request's recipient (`open`, `release`), its sub-shares of
    /// every version it holds for the new custodians (`resplit`), or nothing (`close`, `reopen`).
    ///
    /// - Parameters:
    ///   - requestID: The request event.
    ///   - approver: The approving custodian.
    ///   - time: The event time.
    ///   - random: Polynomial randomness for sub-shares (libsodium's in production).
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError`` if the request is unknown, executed or expired, if the approver already approved
    ///   or holds nothing it could approve, or if one of its own shares fails to open (naming its author).
    public func approve(
        _ requestID: EventID,
        by approver: CustodianIdentity,
        at time: UTCTime,
        random: inout some RandomSource
    ) throws(EscrowError) -> Event {
        guard let request = state.requests[requestID] else {
            throw EscrowError(.notFound, "no request \(requestID.short) in this store: run 'escrow sync' first")
        }
        let key = approver.publicIdentity.signingKey
        guard request.execution == nil else {
            throw EscrowError(.alreadyUsed, "request \(requestID.short) was already executed")
        }
        guard time <= request.body.expiresAt else {
            throw EscrowError(.expired, "request \(requestID.short) expired at \(request.body.expiresAt)")
        }
        guard request.approvals[key] == nil else {
            throw EscrowError(
                .alreadyUsed,
                "\(approver.publicIdentity.name) already approved request \(requestID.short)"
            )
        }
        let action = QuorumActions.action(for: request.body.action)
        let boxKeys = try approver.boxKeyPair()
        var targets: [QuorumTarget] = []
        for target in request.body.targets {
            let vault = try vault(named: target.vault.name)
            guard vault.generation == target.generation else {
                throw EscrowError(
                    .conflict,
                    "vault '\(vault.reference.name)' was re-split after request \(requestID.short) was made: "
                        + "the requester makes a new request"
                )
            }
            targets.append(QuorumTarget(target: target, vault: vault))
        }
        let sealer = ShareSealer()
        var contents = try action.contribute(
            targets,
            as: QuorumApprover(ledger: self, request: request, key: key, boxKeys: boxKeys, sealer: sealer),
            random: &random
        )
        if action.payload != .nothing, contents.isEmpty {
            throw EscrowError(
                .notAuthorized,
                "\(approver.publicIdentity.name) holds no share of what request \(requestID.short) asks for"
            )
        }
        let body = ApprovalBody(
            request: requestID.bytes,
            ephemeralKey: contents.isEmpty ? nil : sealer.ephemeralPublicKey,
            shares: contents.shares,
            contributions: contents.contributions
        )
        let event: Event
        if !contents.contributionFragments.isEmpty {
            // The workers wrote every contribution's JSON: the body's bytes are put together from them.
            let fragment = try body.fragment(contributions: contents.contributionFragments)
            // The contributions' bytes are in the body's now: a bulk approval holds them once.
            contents.contributionFragments = []
            event = try Event.make(
                store: state.storeID,
                type: EventType.approval.rawValue,
                author: approver,
                parents: graph.heads,
                previous: state.latestByAuthor[key],
                time: time,
                body: fragment.value,
                canonicalBody: fragment.parts
            )
        } else {
            event = try self.event(.approval, body: body, by: approver, at: time)
        }
        fold.approvals.seed(body, of: event)
        if let refusal = dryRun(event) { throw EscrowError(.notAuthorized, refusal.message) }
        return event
    }

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
        let action = QuorumActions.action(for: request.body.action)
        guard !action.isExecutedByRequester else {
            throw EscrowError(
                .invalidInput,
                "an \(action.kind.rawValue) is executed by its requester with the request key"
            )
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
        guard let request = state.requests[requestID], request.body.action == OpenAction.kind else {
            throw EscrowError(.notFound, "no open request \(requestID.short) in this store: run 'escrow sync' first")
        }
        guard request.requesterKey == requester.publicIdentity.signingKey else {
            throw EscrowError(.notAuthorized, "request \(requestID.short) is \(request.requester)'s, not yours")
        }
        guard let recipient = request.body.recipient, recipient.key.bytes == requestKeys.publicKey else {
            throw EscrowError(.invalidInput, "this is not the key of request \(requestID.short)")
        }
        let (opened, body) = try OpenAction.execute(request, requestKeys: requestKeys, in: self)
        let event = try event(.execution, body: body, by: requester, at: time)
        if let refusal = dryRun(event) { throw EscrowError(.quorumNotMet, refusal.message) }
        return (opened, event)
    }

    /// Opens again the versions of an `open` its requester already recorded, without a new event: how a run that
    /// was interrupted after recording the execution, but before the values reached the requester, is finished.
    ///
    /// Only the requester, with the request's key pair, gets here; it could have rebuilt the keys from the same
    /// approvals at any time before erasing that key, so this reveals nothing the recorded execution did not. The
    /// rebuild checks every value and commitment exactly as ``open(_:requestKeys:by:at:)`` does.
    ///
    /// - Parameters:
    ///   - requestID: The executed open request.
    ///   - requestKeys: The request's X25519 key pair (erase it afterwards).
    ///   - requester: The requester, who signed the execution.
    /// - Returns: The opened versions.
    /// - Throws: ``EscrowError/Code/alreadyUsed`` if the request was not executed by `requester`;
    ///   ``EscrowError/Code/badShare`` as for an open.
    public func reopenRecorded(_ requestID: EventID, requestKeys: BoxKeyPair, by requester: CustodianIdentity)
        throws(EscrowError) -> [OpenedVersion]
    {
        let key = requester.publicIdentity.signingKey
        guard let request = state.requests[requestID], request.body.action == OpenAction.kind,
            request.requesterKey == key
        else {
            throw EscrowError(.notFound, "no open request \(requestID.short) of yours in this store")
        }
        guard let execution = request.execution, graph.event(execution)?.author.key == key else {
            throw EscrowError(.alreadyUsed, "request \(requestID.short) was not opened by you")
        }
        guard let recipient = request.body.recipient, recipient.key.bytes == requestKeys.publicKey else {
            throw EscrowError(.invalidInput, "this is not the key of request \(requestID.short)")
        }
        return try OpenAction.execute(request, requestKeys: requestKeys, in: self).versions
    }

    /// The customer's bundle of an approved release: the request, its approvals, and the events the approved
    /// values come from. Nothing in it is readable without the customer's key.
    ///
    /// - Parameter requestID: The release request.
    /// - Returns: The bundle.
    /// - Throws: ``EscrowError/Code/notFound`` for an unknown request or one that is not a release.
    public func releaseBundle(for requestID: EventID) throws(EscrowError) -> CustomerBundle {
        guard let request = state.requests[requestID], request.body.action == ReleaseAction.kind,
            let target = request.body.targets.first
        else {
            throw EscrowError(.notFound, "no release request \(requestID.short) in this store")
        }
        return try ReleaseAction.bundle(of: request, target: target, in: self)
    }
}
