extension Fold {
    mutating func applyRequest(_ event: Event) throws(Refusal) {
        let requester = try author(of: event, role: .custodian)
        let body = try body(RequestBody.self, of: event)
        guard body.request.bytes.count == 16, !state.requestIDs.contains(body.request.bytes) else {
            throw Refusal("request id \(body.request) is malformed or used before")
        }
        do {
            try NameRules.validateReason(body.reason)
        } catch {
            throw Refusal(error.message)
        }
        guard body.expiresAt > event.time else { throw Refusal("the request expires before it was made") }
        guard !body.targets.isEmpty else { throw Refusal("the request names no vault") }
        guard Set(body.targets.map(\.vault.id)).count == body.targets.count else {
            throw Refusal("a vault is named twice")
        }
        let action = QuorumActions.action(for: body.action)
        var added: Set<[UInt8]> = []
        for target in body.targets {
            let vault = try vault(target.vault)
            guard target.generation == vault.generation else {
                throw Refusal(
                    "made against generation \(target.generation) of '\(vault.reference.name)', which is at "
                        + "\(vault.generation)"
                )
            }
            try action.check(target, of: vault, force: body.force, in: self)
            added.formUnion(action.addedCustodians(target, of: vault))
        }
        if action.payload.takesRecipient {
            guard let recipient = body.recipient, recipient.key.bytes.count == 32 else {
                throw Refusal("an \(body.action.rawValue) request needs a recipient key")
            }
        } else if body.recipient != nil {
            throw Refusal("a \(body.action.rawValue) request has no recipient")
        }
        try checkChallenges(body.challenges, for: Array(added))
        insertRequestID(body.request.bytes)
        setRequest(
            RequestState(
                event: event.id,
                requester: requester.identity.name,
                requesterKey: requester.identity.signingKey,
                time: event.time,
                body: body,
                approvals: [:],
                acknowledged: [],
                execution: nil
            )
        )
    }

    mutating func applyApproval(_ event: Event) throws(Refusal) {
        let approver = try author(of: event, role: .custodian)
        let body = try approval(event).body
        var request = try request(body.request, for: event)
        guard request.execution == nil else { throw Refusal("request \(request.event.short) was already executed") }
        guard event.time <= request.body.expiresAt else {
            throw Refusal("request \(request.event.short) expired at \(request.body.expiresAt)")
        }
        guard request.approvals[approver.identity.signingKey] == nil else {
            throw Refusal("\(approver.identity.name) already approved request \(request.event.short)")
        }
        var isCustodian = false
        for target in request.body.targets {
            let vault = try vault(target.vault)
            guard vault.generation == target.generation else {
                throw Refusal("'\(vault.reference.name)' was re-split after the request was made")
            }
            if vault.policy.custodian(withKey: approver.identity.signingKey) != nil { isCustodian = true }
        }
        guard isCustodian else {
            throw Refusal("\(approver.identity.name) is not a custodian of the vaults the request names")
        }
        let action = request.body.action
        guard
            QuorumActions.action(for: action).payload.allows(
                shares: !body.shares.isEmpty,
                contributions: !body.contributions.isEmpty
            )
        else {
            throw Refusal("the approval carries values a \(action.rawValue) request does not take")
        }
        if !body.shares.isEmpty || !body.contributions.isEmpty {
            guard body.ephemeralKey?.bytes.count == 32 else { throw Refusal("the approval's sealing key is missing") }
        }
        if QuorumActions.action(for: action).payload == .shares {
            try checkSharedVersions(body.shares, by: approver.identity.signingKey, for: request)
        }
        request.approvals[approver.identity.signingKey] = event.id
        setRequest(request)
    }
}
