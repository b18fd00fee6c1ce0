/// Folds a verified event graph into the store's state, checking each event's authority (the table in the
/// TrustModel article). An event without authority changes nothing and becomes a ``Finding``.
///
/// The fold is deterministic: the same set of events gives the same state on every clone, whatever the order in
/// which their files were found, because it visits them in the graph's canonical order.
public struct Fold {
    /// The state so far.
    public internal(set) var state: LedgerState
    var graph: EventGraph
    /// Approval bodies decoded once (shared with trial folds and share readers: events never change).
    let approvals: DecodedApprovals
    /// Batch deposit bodies decoded once, for share readers.
    let deposits: DecodedDeposits
    /// What the running trial changed (``beginTrial()``), or `nil` outside a trial.
    var journal: FoldJournal?
    /// Where events restored from a fold snapshot read their payloads (`nil` when every event was decoded).
    var files: EventFiles?
    /// The stamps of the event directories taken before the events folded here were listed (kept in the snapshot:
    /// the next warm open lists only the directories changed since), or `nil` if unknown.
    var stamps: DirectoryStamps?
    /// How many of the last findings are the equivocation findings (``noteEquivocations()``): a cold open notes them
    /// after every other finding, so findings of events applied later go before them, and they are noted again
    /// whenever the graph's equivocations change.
    var equivocationFindingCount = 0
    /// Bodies decoded ahead of a cold fold (``init(folding:approvals:bodies:)``), `nil` once it is done.
    var decodedBodies: DecodedBodies?
    /// Bodies of events this process made from them (``DecodedBodies/made(_:)``: a bulk request's body is megabytes
    /// of JSON, decoded otherwise by its dry run and again by its append). A cache, not state: trials leave it.
    var madeBodies = DecodedBodies()

    /// Folds every event of `graph`.
    ///
    /// - Parameter graph: A structurally verified graph (hashes, signatures, parents).
    /// - Returns: The state.
    public static func run(_ graph: EventGraph) -> LedgerState {
        Fold(folding: graph).state
    }

    init(graph: EventGraph, approvals: DecodedApprovals = DecodedApprovals()) {
        self.graph = graph
        self.approvals = approvals
        deposits = DecodedDeposits()
        state = LedgerState(
            storeID: graph.genesis.store,
            storeName: "",
            genesis: graph.genesis.id,
            rosterQuorum: 1,
            rosterHead: graph.genesis.id,
            members: [:],
            formerKeys: [],
            vaults: [:],
            vaultNames: [:],
            versionIDs: [],
            requests: [:],
            requestIDs: [],
            findings: [],
            latestByAuthor: [:],
            eventCount: 0
        )
    }

    /// Applies one event (in canonical order).
    mutating func apply(_ event: Event) {
        state.eventCount += 1
        setLatest(event.id, of: event.author.key)
        do throws(Refusal) {
            switch EventType(rawValue: event.type) {
            case .genesis: try applyGenesis(event)
            case .roster: try applyRoster(event)
            case .vaultCreate: try applyVaultCreate(event)
            case .custody: try applyCustody(event)
            case .deposit: try applyDeposit(event)
            case .depositBatch: try applyDepositBatch(event)
            case .request: try applyRequest(event)
            case .approval: try applyApproval(event)
            case .execution: try applyExecution(event)
            case .attempt: try applyAttempt(event)
            case nil: throw Refusal("unknown event type '\(NameRules.printable(event.type))'")
            }
        } catch {
            addFinding(
                Finding(
                    event: event.id,
                    type: event.type,
                    author: event.author.name,
                    message: error.message,
                    isViolation: true
                )
            )
        }
    }

    /// Applies one event (in canonical order) and says whether the fold refused it.
    ///
    /// - Parameter event: The event.
    /// - Returns: The first violation the event caused, or `nil`.
    mutating func applyReporting(_ event: Event) -> Finding? {
        let before = state.findings.count - equivocationFindingCount
        apply(event)
        let after = state.findings.count - equivocationFindingCount
        return state.findings[before..<after].first(where: \.isViolation)
    }

    /// Throws the first failure to read the payload of an event restored from a snapshot: the fold reads payloads
    /// through non-throwing paths, and a file that changed since it was verified must refuse the command, naming
    /// it, rather than become a finding.
    ///
    /// - Throws: What ``EventFiles/payload(of:)`` threw first.
    func checkFiles() throws(EscrowError) {
        if let failure = files?.firstFailure { throw failure }
    }

    /// Records a note about an applied event.
    mutating func note(_ event: Event, _ message: String) {
        addFinding(
            Finding(event: event.id, type: event.type, author: event.author.name, message: message, isViolation: false)
        )
    }

    /// Adds a finding of an applied event, before the equivocation findings.
    private mutating func addFinding(_ finding: Finding) {
        if equivocationFindingCount == 0 {
            state.findings.append(finding)
        } else {
            state.findings.insert(finding, at: state.findings.count - equivocationFindingCount)
        }
    }

    /// The current member who signed `event`, with the author name checked against the roster.
    func author(of event: Event, role: MemberRole? = nil) throws(Refusal) -> MemberState {
        guard let member = state.members[event.author.key] else {
            if state.formerKeys.contains(event.author.key) {
                throw Refusal("\(NameRules.printable(event.author.name)) was removed from the roster")
            }
            throw Refusal("\(NameRules.printable(event.author.name)) is not a member of this store")
        }
        guard member.identity.name == event.author.name else {
            throw Refusal("the author's name does not match the roster ('\(member.identity.name)')")
        }
        if let role, member.role != role {
            throw Refusal("\(member.identity.name) is a \(member.role.rawValue), not a \(role.rawValue)")
        }
        return member
    }

    /// Decodes `event`'s body strictly.
    func body<Body: Codable>(_ type: Body.Type, of event: Event) throws(Refusal) -> Body {
        if case .success(let body)? = madeBodies.result(Body.self, of: event) { return body }
        if let decoded = decodedBodies?.result(Body.self, of: event) {
            switch decoded {
            case .success(let body): return body
            case .failure(let error): throw Refusal(error.message)
            }
        }
        do {
            return try EventBody.decode(Body.self, of: event)
        } catch {
            throw Refusal(error.message)
        }
    }

    /// Decodes an approval strictly, once per fold and its trials.
    func approval(_ event: Event) throws(Refusal) -> DecodedApprovals.Entry {
        if let decoded = decodedBodies?.result(ApprovalBody.self, of: event) {
            switch decoded {
            case .success(let body): approvals.seed(body, of: event)
            case .failure(let error): throw Refusal(error.message)
            }
        }
        do {
            return try approvals.entry(for: event)
        } catch {
            throw Refusal(error.message)
        }
    }

    /// Lets a trial fold see events added after it was made (``Ledger/append(_:)``).
    mutating func graphForTrial(_ graph: EventGraph) {
        self.graph = graph
    }

    /// The vault an event names, checking that id and name agree.
    func vault(_ reference: VaultReference) throws(Refusal) -> VaultState {
        guard let vault = state.vaults[Hex.encode(reference.id.bytes)] else {
            throw Refusal(
                "no vault with id \(Hex.encode(reference.id.bytes)) ('\(NameRules.printable(reference.name))')"
            )
        }
        guard vault.reference.name == reference.name else {
            throw Refusal(
                "vault \(Hex.encode(reference.id.bytes)) is '\(vault.reference.name)', "
                    + "not '\(NameRules.printable(reference.name))'"
            )
        }
        return vault
    }

    /// A request that `event` descends from.
    func request(_ id: HexBytes, for event: Event) throws(Refusal) -> RequestState {
        guard let requestID = (try? EventID(bytes: id.bytes)), let request = state.requests[requestID] else {
            throw Refusal("no request \(Hex.encode(id.bytes).prefix(12))")
        }
        guard graph.isAncestor(requestID, of: event.id) else {
            throw Refusal("request \(requestID.short) is not among the event's ancestors")
        }
        return request
    }

    /// Notes (again) one finding per equivocation pair of the graph, after every other finding.
    mutating func noteEquivocations() {
        state.findings.removeLast(equivocationFindingCount)
        let before = state.findings.count
        defer { equivocationFindingCount = state.findings.count - before }
        for (first, second) in graph.equivocations {
            guard let event = graph.event(second) else { continue }
            state.findings.append(
                Finding(
                    event: second,
                    type: event.type,
                    author: event.author.name,
                    message: "equivocation: \(NameRules.printable(event.author.name)) signed \(first.short) and "
                        + "\(second.short) on two branches (neither descends from the other)",
                    isViolation: true
                )
            )
        }
    }
}

/// Why the fold refused an event (kept inside the fold; it becomes a ``Finding``).
struct Refusal: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
