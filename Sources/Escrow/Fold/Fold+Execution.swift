extension Fold {
    mutating func applyExecution(_ event: Event) throws(Refusal) {
        let executor = try author(of: event, role: .custodian)
        let body = try body(ExecutionBody.self, of: event)
        var request = try request(body.request, for: event)
        if let first = request.execution {
            note(
                event,
                "request \(request.event.short) was already executed by \(first.short): this one counts for nothing"
            )
            return
        }
        let action = QuorumActions.action(for: request.body.action)
        if action.isExecutedByRequester, executor.identity.signingKey != request.requesterKey {
            throw Refusal("only the requester records the \(action.kind.rawValue) of its request")
        }
        var approvals: [[UInt8]: (id: EventID, entry: DecodedApprovals.Entry)] = [:]
        for hex in body.approvals {
            guard let id = (try? EventID(bytes: hex.bytes)), let approval = graph.event(id),
                request.approvals[approval.author.key] == id, graph.isAncestor(id, of: event.id)
            else {
                throw Refusal("approval \(Hex.encode(hex.bytes).prefix(12)) is not a valid approval of the request")
            }
            approvals[approval.author.key] = (id, try self.approval(approval))
        }
        let approvers = Set(approvals.keys)
        for target in request.body.targets {
            let vault = try vault(target.vault)
            guard vault.generation == target.generation else {
                throw Refusal("'\(vault.reference.name)' was re-split after the request was made")
            }
            try action.checkQuorum(target, of: vault, approvers: approvers)
        }
        // Custodians the request adds (only a re-split adds any) acknowledge custody before it takes effect.
        let missing = request.body.challenges.filter { !request.acknowledged.contains($0.key.bytes) }
        guard missing.isEmpty else {
            let names = missing.compactMap { state.members[$0.key.bytes]?.identity.name }
            throw Refusal("custody not yet acknowledged by \(names.joined(separator: ", "))")
        }
        // Working subsets are recorded by an open only, and only for the versions it opened.
        let opened = Set(request.body.targets.flatMap(\.versions))
        for record in body.resolved where request.body.action != .open || !opened.contains(record.version) {
            throw Refusal("resolves a version the request did not open")
        }
        // Every target is computed before any is stored: a refusal at a later target changes no vault.
        let execution = QuorumExecution(request: request, body: body, approvals: approvals)
        var updated: [VaultState] = []
        var notes: [String] = []
        for target in request.body.targets {
            var vault = try vault(target.vault)
            notes += try action.apply(target, to: &vault, by: execution)
            updated.append(vault)
        }
        for vault in updated { setVault(vault) }
        for message in notes { note(event, message) }
        request.execution = event.id
        setRequest(request)
    }
}
