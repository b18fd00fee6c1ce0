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
        var added: Set<[UInt8]> = []
        for target in body.targets {
            let vault = try vault(target.vault)
            guard target.generation == vault.generation else {
                throw Refusal(
                    "made against generation \(target.generation) of '\(vault.reference.name)', which is at "
                        + "\(vault.generation)"
                )
            }
            try checkTarget(target, of: vault, action: body.action, force: body.force)
            if let policy = target.policy {
                for custodian in policy.custodians where vault.policy.custodian(withKey: custodian.key.bytes) == nil {
                    added.insert(custodian.key.bytes)
                }
            }
        }
        if body.action.carriesShares {
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

    private func checkTarget(_ target: RequestTarget, of vault: VaultState, action: RequestAction, force: Bool)
        throws(Refusal)
    {
        let name = vault.reference.name
        switch action {
        case .open, .release:
            guard target.policy == nil else { throw Refusal("an \(action.rawValue) request carries no policy") }
            guard !target.versions.isEmpty else { throw Refusal("no credential version of '\(name)' is named") }
            guard Set(target.versions).count == target.versions.count else {
                throw Refusal("a version is named twice")
            }
            for version in target.versions where vault.version(version.bytes) == nil {
                throw Refusal("'\(name)' has no version \(version)")
            }
            switch vault.status {
            case .active: break
            case .closed where action == .release || force: break
            case .closed: throw Refusal("'\(name)' is closed (an open must be forced, with a recorded reason)")
            case .pending, .released: throw Refusal("'\(name)' is \(vault.status.rawValue)")
            }
        case .resplit:
            guard target.versions.isEmpty else { throw Refusal("a re-split names no versions") }
            guard let policy = target.policy else { throw Refusal("a re-split needs the new policy") }
            try checkPolicy(policy)
            guard vault.status == .active || vault.status == .closed else {
                throw Refusal("'\(name)' is \(vault.status.rawValue)")
            }
        case .close, .reopen:
            guard target.versions.isEmpty, target.policy == nil else {
                throw Refusal("a \(action.rawValue) request names neither versions nor a policy")
            }
            let wanted: VaultStatus = action == .close ? .active : .closed
            guard vault.status == wanted else { throw Refusal("'\(name)' is \(vault.status.rawValue)") }
        }
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
        guard action.carriesShares || body.shares.isEmpty, action == .resplit || body.contributions.isEmpty else {
            throw Refusal("the approval carries values a \(action.rawValue) request does not take")
        }
        if !body.shares.isEmpty || !body.contributions.isEmpty {
            guard body.ephemeralKey?.bytes.count == 32 else { throw Refusal("the approval's sealing key is missing") }
        }
        request.approvals[approver.identity.signingKey] = event.id
        setRequest(request)
    }
}
