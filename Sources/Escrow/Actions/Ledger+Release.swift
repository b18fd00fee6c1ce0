extension Ledger {
    /// The customer's bundle of an approved release: the request, its approvals, and the events the approved
    /// values come from. Nothing in it is readable without the customer's key.
    ///
    /// - Parameter requestID: The release request.
    /// - Returns: The bundle.
    /// - Throws: ``EscrowError/Code/notFound`` for an unknown request or one that is not a release.
    public func releaseBundle(for requestID: EventID) throws(EscrowError) -> CustomerBundle {
        guard let request = state.requests[requestID], request.body.action == .release,
            let target = request.body.targets.first
        else {
            throw EscrowError(.notFound, "no release request \(requestID.short) in this store")
        }
        let vault = try vault(named: target.vault.name)
        var events: [EventID: Event] = [:]
        func include(_ id: EventID) {
            if let event = graph.event(id) { events[id] = event }
        }
        include(requestID)
        for id in request.approvals.values { include(id) }
        var summaries: [VersionSummary] = []
        for id in target.versions {
            guard let version = vault.version(id.bytes) else { continue }
            include(version.deposit)
            if case .resplit(_, let contributions) = version.source {
                for approval in contributions.values { include(approval) }
            }
            summaries.append(VersionSummary(version))
        }
        return CustomerBundle(
            store: state.storeID,
            vault: vault.reference,
            metadata: vault.metadata,
            request: requestID,
            versions: summaries,
            events: Array(events.values)
        )
    }
}
