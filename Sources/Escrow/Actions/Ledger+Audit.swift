extension Ledger {
    /// The log in canonical order, as people read it, filtered.
    ///
    /// An `attempt` event gives one entry per attempt it publishes (action `attempt`, at the attempt's time). With
    /// `now`, every request that expired unexecuted by then also gets an entry (action `expired`, at its expiry
    /// time, placed before the first later entry): the log holds no event for a request that lapsed.
    ///
    /// - Parameters:
    ///   - filter: Which entries to keep.
    ///   - now: The current time, for expired requests (none are listed without it).
    /// - Returns: The entries.
    public func audit(_ filter: AuditFilter = AuditFilter(), now: UTCTime? = nil) -> [AuditEntry] {
        var findings: [EventID: [String]] = [:]
        for finding in state.findings { findings[finding.event, default: []].append(finding.message) }
        var expiries = now.map(expiredRequests) ?? []
        var entries: [AuditEntry] = []
        for id in graph.canonicalOrder {
            guard let event = graph.event(id) else { continue }
            for entry in describeAll(event, findings: findings[id] ?? []) {
                while let expiry = expiries.first, expiry.time < entry.time {
                    entries.append(expiry)
                    expiries.removeFirst()
                }
                entries.append(entry)
            }
        }
        entries += expiries
        return entries.filter(filter.matches)
    }

    /// Entries for the requests that expired unexecuted before `now`, by expiry time.
    private func expiredRequests(at now: UTCTime) -> [AuditEntry] {
        let lapsed = state.requests.values.filter { $0.execution == nil && $0.body.expiresAt < now }
        return lapsed.sorted { ($0.body.expiresAt, $0.event.description) < ($1.body.expiresAt, $1.event.description) }
            .map { request in
                let approvals = request.approvals.count
                return AuditEntry(
                    event: request.event.description,
                    time: request.body.expiresAt,
                    actor: request.requester,
                    action: AuditEntry.expiredAction,
                    vaults: request.body.targets.map(\.vault.name),
                    request: request.event.description,
                    reason: request.body.reason,
                    summary: "\(request.body.action.rawValue) request \(request.event.short) expired unexecuted "
                        + "with \(approvals) approval\(approvals == 1 ? "" : "s")",
                    findings: []
                )
            }
    }

    /// One event as audit entries: one per published attempt for an `attempt` event, else one.
    func describeAll(_ event: Event, findings: [String]) -> [AuditEntry] {
        guard EventType(rawValue: event.type) == .attempt,
            let body = try? EventBody.decode(AttemptBody.self, of: event)
        else {
            return [describe(event, findings: findings)]
        }
        return body.attempts.map { record in
            let request = record.request.flatMap { try? EventID(bytes: $0.bytes) }
            let state = request.flatMap { self.state.requests[$0] }
            let subject = request.map { " of request \($0.short)" } ?? ""
            let summary: String
            switch record.outcome {
            case .refused: summary = "\(record.command)\(subject) refused: \(record.detail)"
            case .wrongPassphrase: summary = "wrong passphrase at \(record.command)\(subject)"
            }
            return AuditEntry(
                event: event.id.description,
                time: record.time,
                actor: event.author.name,
                action: EventType.attempt.rawValue,
                vaults: state?.body.targets.map(\.vault.name) ?? [],
                request: request?.description,
                reason: state?.body.reason,
                summary: summary,
                findings: findings
            )
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
        case .attempt:
            entry.summary = "published refused attempts"
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
