extension Ledger {
    /// The log in canonical order, as people read it, filtered.
    ///
    /// - Parameter filter: Which entries to keep.
    /// - Returns: The entries.
    public func audit(_ filter: AuditFilter = AuditFilter()) -> [AuditEntry] {
        var findings: [EventID: [String]] = [:]
        for finding in state.findings { findings[finding.event, default: []].append(finding.message) }
        var names: [String: String] = [:]
        for (id, vault) in state.vaults { names[id] = vault.reference.name }
        return graph.canonicalOrder.compactMap { id -> AuditEntry? in
            guard let event = graph.event(id) else { return nil }
            let entry = describe(event, findings: findings[id] ?? [])
            return filter.matches(entry) ? entry : nil
        }
    }

    /// One event as an audit entry.
    func describe(_ event: Event, findings: [String]) -> AuditEntry {
        var entry = AuditEntry(
            event: event.id.description,
            time: event.time,
            actor: event.author.name,
            action: event.type,
            vaults: [],
            request: nil,
            reason: nil,
            summary: event.type,
            findings: findings
        )
        switch EventType(rawValue: event.type) {
        case .genesis:
            if let body = try? EventBody.decode(GenesisBody.self, of: event) {
                entry.summary = "created store '\(body.storeName)' (roster quorum \(body.rosterQuorum))"
            }
        case .roster:
            if let body = try? EventBody.decode(RosterBody.self, of: event) {
                var parts = body.add.map { "added \($0.name) (\($0.role.rawValue))" }
                parts += body.remove.map { key in "removed \(memberName(key.bytes))" }
                if let quorum = body.quorum { parts.append("roster quorum \(quorum)") }
                entry.summary = parts.joined(separator: ", ") + " (\(body.approvals.count) endorsements)"
            }
        case .vaultCreate:
            if let body = try? EventBody.decode(VaultCreateBody.self, of: event) {
                entry.vaults = [body.vault.name]
                entry.summary =
                    "created vault '\(body.vault.name)', \(body.policy.threshold) of "
                    + body.policy.custodians.map(\.name).joined(separator: ", ")
            }
        case .custody:
            if let body = try? EventBody.decode(CustodyBody.self, of: event),
                let subject = try? EventID(bytes: body.subject.bytes)
            {
                entry.summary = "acknowledged custody (\(subject.short))"
                if let created = graph.event(subject),
                    let vault = try? EventBody.decode(VaultCreateBody.self, of: created)
                {
                    entry.vaults = [vault.vault.name]
                    entry.summary = "acknowledged custody of vault '\(vault.vault.name)'"
                }
            }
        case .deposit:
            if let body = try? EventBody.decode(DepositBody.self, of: event) {
                entry.vaults = [body.vault.name]
                entry.summary =
                    "deposited \(body.kind.rawValue) '\(body.entry)' (version \(body.version.description.prefix(8)), "
                    + "generation \(body.generation))"
            }
        case .depositBatch:
            if let body = try? EventBody.decode(DepositBatchBody.self, of: event) {
                var vaults: [String] = []
                for item in body.deposits where !vaults.contains(item.vault.name) { vaults.append(item.vault.name) }
                entry.vaults = vaults
                entry.summary =
                    "deposited \(body.deposits.count) credential versions in one batch: "
                    + body.deposits.map { item in
                        "\(item.kind.rawValue) '\(item.entry)' of '\(item.vault.name)' (version "
                            + "\(item.version.description.prefix(8)), generation \(item.generation))"
                    }.joined(separator: "; ")
            }
        case .request:
            if let body = try? EventBody.decode(RequestBody.self, of: event) {
                entry.vaults = body.targets.map(\.vault.name)
                entry.reason = body.reason
                entry.request = event.id.description
                entry.summary = "requested \(body.action.rawValue) of " + targetSummary(body)
            }
        case .approval:
            if let body = try? EventBody.decode(ApprovalBody.self, of: event) {
                entry.request = body.request.description
                if let request = try? EventID(bytes: body.request.bytes), let state = state.requests[request] {
                    entry.vaults = state.body.targets.map(\.vault.name)
                    entry.reason = state.body.reason
                    entry.summary = "approved \(state.body.action.rawValue) \(request.short) by \(state.requester)"
                }
            }
        case .execution:
            if let body = try? EventBody.decode(ExecutionBody.self, of: event) {
                entry.request = body.request.description
                if let request = try? EventID(bytes: body.request.bytes), let state = state.requests[request] {
                    entry.vaults = state.body.targets.map(\.vault.name)
                    entry.reason = state.body.reason
                    entry.summary =
                        "executed \(state.body.action.rawValue) \(request.short) with "
                        + "\(body.approvals.count) approvals"
                }
            }
        case nil:
            break
        }
        return entry
    }

    private func memberName(_ key: [UInt8]) -> String {
        for id in graph.canonicalOrder {
            guard let event = graph.event(id), event.author.key == key else { continue }
            return event.author.name
        }
        return Fingerprint(signingKey: key).description
    }

    private func targetSummary(_ body: RequestBody) -> String {
        if body.targets.count > 3 { return "\(body.targets.count) vaults" }
        return body.targets.map { target in
            let vault = state.vault(target.vault)
            let entries = target.versions.compactMap { vault?.version($0.bytes)?.entry }
            return entries.isEmpty ? target.vault.name : "\(target.vault.name) (\(entries.joined(separator: ", ")))"
        }.joined(separator: ", ")
    }
}
