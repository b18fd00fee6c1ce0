import Sodium

/// An open store: its verified event graph and the folded state, and the one way to add events.
///
/// Opening reads every event file (refusing anything that is not a canonical, correctly named, validly signed event
/// of this store), builds the graph (refusing missing parents), and folds it. Nothing else in the store is read.
/// ``open(at:cache:)`` gives the same ledger from this user's fold snapshot, reading and verifying only the events
/// added since (events restored from the snapshot read their bodies on demand, checked against their ids).
/// Events this process adds name all current heads as parents, so they come last in the canonical order and are
/// folded incrementally.
public final class Ledger {
    /// The store's directory.
    public let directory: StoreDirectory
    /// The store's path, for messages.
    public let path: String
    /// The verified graph.
    public var graph: EventGraph { fold.graph }
    /// The folded state.
    public var state: LedgerState { fold.state }
    /// The fold, which holds the only copy of the graph and the state, so that appending changes them in place.
    var fold: Fold
    /// Whether the user's fold snapshot should be rewritten from this ledger (see ``open(at:cache:)``): it was
    /// opened cold or on top of many new events (or many bytes of them), a sync brought in many, or this ledger
    /// appended many bytes of events since (a bulk approval: the next command would read and fold it again).
    public internal(set) var snapshotIsDue = false
    /// The bytes of events this ledger holds beyond its snapshot: read on top of it at a warm open, then appended.
    var bytesBeyondSnapshot = 0
    /// Above how many ``bytesBeyondSnapshot`` the snapshot is due (``FoldCache/refreshByteThreshold`` for a ledger
    /// opened from a cache; never for one opened without).
    var snapshotByteThreshold = Int.max

    /// Counts `events` as beyond the snapshot, and makes the snapshot due past the threshold.
    func noteBeyondSnapshot(_ events: [Event]) {
        bytesBeyondSnapshot += events.reduce(0) { $0 + $1.bytes.count }
        if bytesBeyondSnapshot > snapshotByteThreshold { snapshotIsDue = true }
    }

    private convenience init(directory: StoreDirectory, path: String, graph: EventGraph) {
        self.init(directory: directory, path: path, fold: Fold(folding: graph))
    }

    /// Wraps a fold of the store's verified events.
    init(directory: StoreDirectory, path: String, fold: Fold) {
        self.directory = directory
        self.path = path
        self.fold = fold
    }

    /// Creates a store at `path` with its genesis event.
    ///
    /// - Parameters:
    ///   - path: A directory that does not exist or is empty.
    ///   - founder: The founder's identity (the first custodian).
    ///   - storeName: A label for people.
    ///   - rosterQuorum: How many custodians approve a roster change.
    ///   - time: The genesis time.
    /// - Returns: The open store.
    /// - Throws: ``EscrowError`` if the directory is in use or cannot be written.
    public static func create(
        at path: String,
        founder: CustodianIdentity,
        storeName: String,
        rosterQuorum: Int,
        time: UTCTime
    ) throws(EscrowError) -> Ledger {
        guard (1...255).contains(rosterQuorum) else {
            throw EscrowError(.invalidInput, "the roster quorum must be between 1 and 255, not \(rosterQuorum)")
        }
        let body = GenesisBody(
            storeName: storeName,
            rosterQuorum: rosterQuorum,
            founder: MemberRecord(founder.publicIdentity, role: .custodian)
        )
        let genesis = try Event.make(
            store: Sodium.randomBytes(16),
            type: EventType.genesis.rawValue,
            author: founder,
            parents: [],
            previous: nil,
            time: time,
            body: try JSONCoding.encode(body)
        )
        let directory = try StoreDirectory.create(at: path, genesis: genesis)
        return Ledger(directory: directory, path: path, graph: try EventGraph(events: [genesis]))
    }

    /// Opens and verifies the store at `path`.
    ///
    /// - Parameter path: The store's directory.
    /// - Returns: The open store.
    /// - Throws: ``EscrowError`` naming the first file or event that fails verification.
    public static func open(at path: String) throws(EscrowError) -> Ledger {
        let directory = try StoreDirectory.open(at: path)
        // Taken before the listing, for the next warm open (see DirectoryStamps).
        let stamps = try directory.stamps()
        // The bodies are decoded by the workers that read and verify the files, so that the serial fold only
        // applies them (the same state and findings as decoding them in the fold).
        let read = try directory.readEvents(alongside: DecodedBodies.decode)
        var bodies = DecodedBodies()
        bodies.reserveCapacity(read.count)
        for (event, entry) in read {
            if let entry { bodies.keep(entry, of: event) }
        }
        let graph = try EventGraph(events: read.map(\.event))
        let ledger = Ledger(directory: directory, path: path, fold: Fold(folding: graph, bodies: bodies))
        ledger.fold.stamps = stamps
        return ledger
    }

    /// A reader of the holders' published shares, sharing the fold's decoded approvals and deposits.
    var heldShares: HeldShares {
        HeldShares(graph: graph, state: state, approvals: fold.approvals, deposits: fold.deposits)
    }

    /// Makes a signed event by `author` on top of every current head.
    ///
    /// - Parameters:
    ///   - type: The event type.
    ///   - body: The body.
    ///   - author: The signer.
    ///   - time: The event's time.
    /// - Returns: The event (not yet added).
    /// - Throws: ``EscrowError`` if the body cannot be encoded.
    public func event(_ type: EventType, body: some Encodable, by author: CustodianIdentity, at time: UTCTime)
        throws(EscrowError) -> Event
    {
        try Event.make(
            store: state.storeID,
            type: type.rawValue,
            author: author,
            parents: graph.heads,
            previous: state.latestByAuthor[author.publicIdentity.signingKey],
            time: time,
            body: try JSONCoding.encode(body)
        )
    }

    /// Folds `event` as if it were added, without writing anything: the finding it would cause, or `nil` when the
    /// store would accept it.
    ///
    /// - Parameter event: An event made by ``event(_:body:by:at:)``.
    /// - Returns: The refusal, if any.
    /// - Complexity: Independent of the store's size for an event made on top of the current heads (it is applied
    ///   in place and undone); otherwise O(events + state).
    public func dryRun(_ event: Event) -> Finding? {
        fold.beginTrial()
        defer { fold.rollBack() }
        do {
            switch try fold.applyOnTop([event]) {
            case .applied: return nil
            case .refused(let refusal): return refusal
            case .notOnTop: break
            }
        } catch {
            return Self.misfit(event)
        }
        fold.rollBack()
        var trial = fold
        guard let trialGraph = try? graph.adding([event]) else { return Self.misfit(event) }
        trial.graphForTrial(trialGraph)
        return trial.applyReporting(event)
    }

    private static func misfit(_ event: Event) -> Finding {
        Finding(
            event: event.id,
            type: event.type,
            author: event.author.name,
            message: "the event does not fit the store's graph",
            isViolation: true
        )
    }

    /// Adds events made on top of the current heads: checks each against the fold first (nothing is written if any
    /// would be refused), writes them durably, and folds them.
    ///
    /// - Parameter events: Events in the order they were made (each on top of the previous).
    /// - Returns: The paths written, relative to the store.
    /// - Throws: ``EscrowError/Code/notAuthorized`` with the fold's reason, or an I/O error. The ledger is unchanged
    ///   when it throws.
    /// - Complexity: Independent of the store's size for events made on top of the current heads (they are added to
    ///   the graph and folded in place; a refusal or a failed write undoes exactly what they changed), plus the
    ///   writes; otherwise O(events + state).
    @discardableResult
    public func append(_ events: [Event]) throws(EscrowError) -> [String] {
        fold.beginTrial()
        let outcome: Fold.TrialOutcome
        do {
            outcome = try fold.applyOnTop(events)
        } catch {
            fold.rollBack()
            throw error
        }
        if case .applied = outcome, let failure = fold.files?.firstFailure {
            fold.rollBack()
            throw failure
        }
        switch outcome {
        case .applied:
            do {
                let paths = try directory.write(events)
                fold.commitTrial()
                noteBeyondSnapshot(events)
                return paths
            } catch {
                fold.rollBack()
                throw error
            }
        case .refused(let refusal):
            fold.rollBack()
            throw EscrowError(.notAuthorized, refusal.message)
        case .notOnTop:
            fold.rollBack()
        }
        // One graph for the whole batch (as ``open(at:)`` folds with the whole graph): each event only refers to
        // its ancestors, which the fold checks, so later events of the batch change nothing for earlier ones.
        let trialGraph = try graph.adding(events)
        var trial = fold
        trial.graphForTrial(trialGraph)
        for event in events {
            if let refusal = trial.applyReporting(event) { throw EscrowError(.notAuthorized, refusal.message) }
        }
        trial.noteEquivocations()
        let paths = try directory.write(events)
        fold = trial
        noteBeyondSnapshot(events)
        return paths
    }
}
