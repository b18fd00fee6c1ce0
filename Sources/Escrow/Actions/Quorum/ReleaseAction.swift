/// Releasing a vault's versions to the customer: approvers re-seal their shares to the customer's key, any custodian
/// executes, and the vault is released; no custodian or executor sees a value.
enum ReleaseAction: VersionAction {
    static let kind = RequestAction.release
    static let isAllowedOnClosedVault = true

    /// The vault's quorum, and each named version's holder quorum (the customer must be able to rebuild every one).
    static func checkQuorum(_ target: RequestTarget, of vault: VaultState, approvers: Set<[UInt8]>) throws(Refusal) {
        try checkVaultQuorum(of: vault, approvers: approvers)
        try checkVersionQuorum(target, of: vault, approvers: approvers)
    }

    static func apply(_ target: RequestTarget, to vault: inout VaultState, by execution: QuorumExecution)
        throws(Refusal) -> [String]
    {
        vault.status = .released
        return []
    }

    /// The result of a release: the customer's bundle (the request, its approvals, and the events the approved values
    /// come from). Nothing in it is readable without the customer's key.
    ///
    /// - Parameters:
    ///   - request: The release request.
    ///   - target: Its target.
    ///   - ledger: The store.
    /// - Returns: The bundle.
    /// - Throws: ``EscrowError/Code/notFound`` if the vault is unknown.
    static func bundle(of request: RequestState, target: RequestTarget, in ledger: Ledger) throws(EscrowError)
        -> CustomerBundle
    {
        let vault = try ledger.vault(named: target.vault.name)
        var events: [EventID: Event] = [:]
        // The bundle carries the events' bytes: read now (a warm ledger reads them on demand), so that a file that
        // changed since it was verified is refused here, naming it, rather than shipped.
        func include(_ id: EventID) throws(EscrowError) {
            if let event = ledger.graph.event(id) {
                _ = try event.loadedPayload()
                events[id] = event
            }
        }
        try include(request.event)
        for id in request.approvals.values { try include(id) }
        var summaries: [VersionSummary] = []
        for id in target.versions {
            guard let version = vault.version(id.bytes) else { continue }
            try include(version.deposit)
            if case .resplit(_, let contributions) = version.source {
                for approval in contributions.values { try include(approval) }
            }
            summaries.append(VersionSummary(version))
        }
        return CustomerBundle(
            store: ledger.state.storeID,
            vault: vault.reference,
            metadata: vault.metadata,
            request: request.event,
            versions: summaries,
            events: Array(events.values)
        )
    }
}
