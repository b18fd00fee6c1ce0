/// What a fold changed since a trial began, to undo it exactly (``Fold/rollBack(_:)``).
///
/// A trial (``Ledger/dryRun(_:)``, ``Ledger/append(_:)``) applies events to the ledger's own state in place, so that
/// only what an event touches is written (copying the state first would copy every vault). The small parts of the
/// state are kept whole; of the large ones, the journal keeps the previous value of each key the trial wrote (the
/// first time it wrote it) and the elements it inserted.
struct FoldJournal {
    var graph: EventGraph.Checkpoint
    let storeName: String
    let rosterQuorum: Int
    let rosterHead: EventID
    let members: [[UInt8]: MemberState]
    let formerKeys: Set<[UInt8]>
    let eventCount: Int
    /// The number of findings of applied events (before the equivocation findings).
    let findingCount: Int
    /// The equivocation findings.
    let equivocationFindings: ArraySlice<Finding>
    var latestByAuthor: [[UInt8]: EventID?] = [:]
    var vaults: [String: VaultState?] = [:]
    var vaultNames: [String: String?] = [:]
    var versionIDs: [[UInt8]] = []
    var requests: [EventID: RequestState?] = [:]
    var requestIDs: [[UInt8]] = []

    init(state: LedgerState, graph: EventGraph.Checkpoint, equivocationFindingCount: Int) {
        self.graph = graph
        storeName = state.storeName
        rosterQuorum = state.rosterQuorum
        rosterHead = state.rosterHead
        members = state.members
        formerKeys = state.formerKeys
        eventCount = state.eventCount
        findingCount = state.findings.count - equivocationFindingCount
        equivocationFindings = state.findings.suffix(equivocationFindingCount)
    }
}

extension Fold {
    /// How a trial of events on top of the graph ended.
    enum TrialOutcome {
        /// The events do not all sort after the graph's last event: nothing was changed (use a copy of the fold).
        case notOnTop
        /// The fold refused an event: the first refusal.
        case refused(Finding)
        /// Every event was applied.
        case applied
    }

    /// Starts recording changes (at most one trial at a time).
    mutating func beginTrial() {
        precondition(journal == nil, "a trial is already running")
        journal = FoldJournal(
            state: state,
            graph: graph.checkpoint(),
            equivocationFindingCount: equivocationFindingCount
        )
    }

    /// Adds `events` to the graph in place and applies them, during a trial.
    ///
    /// - Parameter events: Events made on top of the current heads, in order.
    /// - Returns: The outcome (on a refusal, the events stay applied until ``rollBack()``).
    /// - Throws: What ``EventGraph/adding(_:)`` throws for events that do not fit the graph (nothing changed).
    /// - Complexity: O(m log m) for m events, plus their own folding: independent of the store's size.
    mutating func applyOnTop(_ events: [Event]) throws(EscrowError) -> TrialOutcome {
        guard var checkpoint = journal?.graph else { preconditionFailure("no trial is running") }
        defer { journal?.graph = checkpoint }
        guard try graph.extend(with: events, recordingIn: &checkpoint) else { return .notOnTop }
        for event in events {
            if let refusal = applyReporting(event) { return .refused(refusal) }
        }
        if graph.equivocations.count != equivocationFindingCount { noteEquivocations() }
        return .applied
    }

    /// Ends a trial, keeping what it applied.
    mutating func commitTrial() {
        journal = nil
    }

    /// Ends a trial, undoing everything it applied: the graph and the state are as they were when it began.
    mutating func rollBack() {
        guard let journal else { return }
        self.journal = nil
        graph.rollBack(to: journal.graph)
        state.storeName = journal.storeName
        state.rosterQuorum = journal.rosterQuorum
        state.rosterHead = journal.rosterHead
        state.members = journal.members
        state.formerKeys = journal.formerKeys
        state.eventCount = journal.eventCount
        state.findings.removeLast(state.findings.count - journal.findingCount)
        state.findings += journal.equivocationFindings
        equivocationFindingCount = journal.equivocationFindings.count
        for (key, value) in journal.latestByAuthor { state.latestByAuthor[key] = value }
        for (key, value) in journal.vaults { state.vaults[key] = value }
        for (key, value) in journal.vaultNames { state.vaultNames[key] = value }
        for id in journal.versionIDs { state.versionIDs.remove(id) }
        for (key, value) in journal.requests { state.requests[key] = value }
        for id in journal.requestIDs { state.requestIDs.remove(id) }
    }

    // MARK: Writes (journaled during a trial)

    mutating func setLatest(_ id: EventID, of author: [UInt8]) {
        if journal != nil, journal?.latestByAuthor.index(forKey: author) == nil {
            journal?.latestByAuthor.updateValue(state.latestByAuthor[author], forKey: author)
        }
        state.latestByAuthor[author] = id
    }

    mutating func setVault(_ vault: VaultState) {
        let key = Hex.encode(vault.id)
        if journal != nil, journal?.vaults.index(forKey: key) == nil {
            journal?.vaults.updateValue(state.vaults[key], forKey: key)
        }
        state.vaults[key] = vault
    }

    mutating func setVaultName(_ name: String, id: String) {
        if journal != nil, journal?.vaultNames.index(forKey: name) == nil {
            journal?.vaultNames.updateValue(state.vaultNames[name], forKey: name)
        }
        state.vaultNames[name] = id
    }

    mutating func insertVersionID(_ id: [UInt8]) {
        if state.versionIDs.insert(id) { journal?.versionIDs.append(id) }
    }

    mutating func setRequest(_ request: RequestState) {
        let key = request.event
        if journal != nil, journal?.requests.index(forKey: key) == nil {
            journal?.requests.updateValue(state.requests[key], forKey: key)
        }
        state.requests[key] = request
    }

    mutating func insertRequestID(_ id: [UInt8]) {
        if state.requestIDs.insert(id).inserted { journal?.requestIDs.append(id) }
    }
}
