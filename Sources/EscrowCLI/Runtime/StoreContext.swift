import Escrow
import Platform

/// An open, verified store as a command uses it: the folded ledger, this user's trust record (the pinned genesis and
/// the high-water mark), and the store's git work tree if it is one.
///
/// Opening refuses a store whose genesis differs from the pin, a store that lacks events this user has already
/// seen (rolled back, tail cut), and a store never seen before (first contact is ``StoreTrustCommand``'s job).
/// Every successful command moves the high-water mark to the heads it saw.
final class StoreContext {
    /// The store's path.
    let path: String
    /// The verified, folded store.
    let ledger: Ledger
    /// This user's state directory.
    let stateDirectory: String
    /// The trust record, updated after each command.
    private(set) var trust: TrustState

    private init(path: String, ledger: Ledger, stateDirectory: String, trust: TrustState) {
        self.path = path
        self.ledger = ledger
        self.stateDirectory = stateDirectory
        self.trust = trust
    }

    /// The directory of trust records.
    static func trustDirectory(_ stateDirectory: String) -> String { stateDirectory + "/trust" }

    /// This user's fold snapshots (`snapshots/` next to `trust/`): see ``Ledger/open(at:cache:)``.
    static func foldCache(_ stateDirectory: String) -> FoldCache {
        FoldCache(directory: stateDirectory + "/snapshots")
    }

    /// Opens and verifies the store at `path` against this user's trust record.
    ///
    /// - Parameters:
    ///   - path: The store directory.
    ///   - freshness: Whether to refuse a copy that lacks events this user has seen (`false` only for `sync`, which
    ///     checks after fetching: a second clone of the same user is legitimately behind until it syncs).
    ///   - warm: Whether to start from this user's fold snapshot (``Ledger/open(at:cache:)``: the same result,
    ///     reading only the events added since); `false` reads and verifies every event file (`audit verify`).
    /// - Returns: The context.
    /// - Throws: ``EscrowError`` naming the file, event or missing pin.
    static func open(at path: String, freshness: Bool = true, warm: Bool = true) throws -> StoreContext {
        guard FileSystem.exists(path) else {
            throw CLIError(
                "there is no store at \(path): get a clone of your team's store (git clone) and pass --store, "
                    + "or set ESCROW_STORE; 'escrow init' creates a new store for a new team only"
            )
        }
        let state = try StoreLocation.stateDirectory(environment: StoreLocation.processEnvironment)
        let ledger = try warm ? Ledger.open(at: path, cache: foldCache(state)) : Ledger.open(at: path)
        let store = ledger.state.storeID
        guard let trust = try TrustFile.load(directory: trustDirectory(state), store: store) else {
            throw CLIError(
                "first contact with the store at \(path): its genesis fingerprint is "
                    + "\(ledger.state.genesis.fingerprint); compare it with the one your team gave you out of band, "
                    + "then run 'escrow store trust --store \(path) --fingerprint <that fingerprint>'"
            )
        }
        if freshness || trust.genesis != ledger.state.genesis {
            try trust.check(ledger.graph)  // the pin always; the high-water mark unless a sync will check it after
        }
        let context = StoreContext(path: path, ledger: ledger, stateDirectory: state, trust: trust)
        context.warnAboutFindings()
        opened.append(context)
        return context
    }

    /// The stores this process opened warm-capable, to write their due fold snapshots after the command succeeded.
    nonisolated(unsafe) private static var opened: [StoreContext] = []

    /// Writes the fold snapshot of every store this command opened when it is due (``Ledger/snapshotIsDue``):
    /// called once the command succeeded, so that a failed command leaves the state directory as it was.
    ///
    /// Writing a snapshot (after a cold open, then every few hundred events) also sweeps the state directory of the
    /// temporary files that interrupted writes left (``sweepInterruptedWrites(_:)``): a rare moment, so the cost of
    /// listing its few small directories never falls on an ordinary command.
    static func saveDueSnapshots() {
        for context in opened where context.ledger.snapshotIsDue {
            context.ledger.saveSnapshotIfDue(to: foldCache(context.stateDirectory))
            sweepInterruptedWrites(context.stateDirectory)
        }
        opened.removeAll()
    }

    /// The directories of the state directory that atomic writes write into.
    static let writtenDirectories = ["snapshots", "trust", "attempts", "sync", "requests"]

    /// Removes the stale temporary files of interrupted writes from ``writtenDirectories`` (only names of the exact
    /// forms our writers use, only regular files more than ten minutes old whose writer is gone: see
    /// `Platform.StaleTemporary`).
    ///
    /// - Parameter stateDirectory: This user's state directory.
    /// - Returns: How many files were removed.
    @discardableResult
    static func sweepInterruptedWrites(_ stateDirectory: String) -> Int {
        writtenDirectories.reduce(0) { $0 + StaleTemporary.sweep(stateDirectory + "/" + $1) }
    }

    /// Pins a store on first contact (or after a deliberate re-pin) and records what was seen.
    ///
    /// - Parameters:
    ///   - path: The store directory.
    ///   - fingerprint: The genesis fingerprint the user checked out of band, if given.
    /// - Returns: The context.
    /// - Throws: ``CLIError`` if the fingerprint differs.
    static func pin(at path: String, fingerprint: String?) throws -> StoreContext {
        let ledger = try Ledger.open(at: path)
        let actual = ledger.state.genesis.fingerprint
        if let fingerprint, fingerprint.uppercased() != actual {
            throw CLIError("the store's genesis fingerprint is \(actual), not \(fingerprint): do not trust this store")
        }
        let state = try StoreLocation.stateDirectory(environment: StoreLocation.processEnvironment)
        if let existing = try TrustFile.load(directory: trustDirectory(state), store: ledger.state.storeID) {
            try existing.check(ledger.graph)
        }
        let trust = TrustState(pinning: ledger.graph)
        try TrustFile.save(trust, directory: trustDirectory(state))
        return StoreContext(path: path, ledger: ledger, stateDirectory: state, trust: trust)
    }

    /// Creates a new store and pins it.
    ///
    /// - Parameters:
    ///   - path: A directory that does not exist or is empty.
    ///   - make: Creates the ledger.
    /// - Returns: The context.
    /// - Throws: The ledger's errors, or an I/O error saving the trust record.
    static func create(at path: String, _ make: (String) throws -> Ledger) throws -> StoreContext {
        let ledger = try make(path)
        let state = try StoreLocation.stateDirectory(environment: StoreLocation.processEnvironment)
        let trust = TrustState(pinning: ledger.graph)
        try TrustFile.save(trust, directory: trustDirectory(state))
        return StoreContext(path: path, ledger: ledger, stateDirectory: state, trust: trust)
    }

    /// The store's git work tree, if it is one.
    var git: GitRepository? {
        GitRepository.isWorkTree(path) ? GitRepository(workTree: path) : nil
    }

    /// Adds events (each checked by the fold first; nothing is written if one is refused), commits them when the
    /// store is a git work tree, and moves the high-water mark.
    ///
    /// With `author` (the member who signed `events`), the refused attempts and wrong passphrases recorded for that
    /// identity in this user's ``AttemptJournal`` are published after them, as one `attempt` event in the same
    /// commit, and the member is told (wrong passphrases as a warning: someone else may have tried).
    ///
    /// When the commit fails (a full disk, a broken repository) the event files are taken back: unstaged, then
    /// removed, so the command leaves the store as it found it and can simply be run again. Only if git cannot even
    /// unstage them do they stay, uncommitted, for the next command to commit (a warning says so).
    ///
    /// - Parameters:
    ///   - events: The events, each made on top of the previous.
    ///   - message: The commit message.
    ///   - author: The signer of `events`, to publish its recorded attempts.
    /// - Throws: The fold's refusal (nothing written), an I/O or git error.
    func append(_ events: [Event], message: String, by author: CustodianIdentity? = nil) throws {
        var paths = try ledger.append(events)
        let published = author.map(publishAttempts) ?? (events: [], paths: [], entries: [])
        paths += published.paths
        if let git {
            do {
                _ = try git.commit(paths: paths + (try interruptedPaths(git)), message: "escrow: \(message)")
            } catch {
                takeBack(events + published.events, paths: paths, git: git)
                throw error
            }
        }
        if !published.entries.isEmpty {
            do {
                try AttemptJournal.remove(
                    published.entries,
                    store: ledger.state.storeID,
                    stateDirectory: stateDirectory
                )
            } catch {
                Console.warning("the published attempts stay in your journal: \(error)")
            }
            announce(published.entries.map(\.attempt))
        }
        try saveTrust()
    }

    /// Appends the `attempt` event of `author`'s journal entries that this store can take (best effort: a failure
    /// is one warning, the entries stay for the next command).
    private func publishAttempts(of author: CustodianIdentity)
        -> (events: [Event], paths: [String], entries: [AttemptJournal.Entry])
    {
        let key = author.publicIdentity.signingKey
        do {
            let mine = try AttemptJournal.entries(store: ledger.state.storeID, stateDirectory: stateDirectory)
                .filter { $0.author.bytes == key && ledger.canPublish($0.attempt) }
                .prefix(AttemptBody.maximumCount)
            guard !mine.isEmpty else { return ([], [], []) }
            let event = try ledger.attempts(mine.map(\.attempt), by: author, at: EscrowClock.system.now)
            return ([event], try ledger.append([event]), Array(mine))
        } catch {
            Console.warning("your recorded attempts were not published (they stay in your journal): \(error)")
            return ([], [], [])
        }
    }

    /// Tells the member what was published for its identity.
    private func announce(_ attempts: [AttemptRecord]) {
        let wrong = attempts.filter { $0.outcome == .wrongPassphrase }
        if let first = wrong.first {
            Console.warning(
                "\(wrong.count) wrong passphrase(s) were typed for your identity since it was last used (the first "
                    + "at \(first.time)); if that was not you, tell your security team"
            )
        }
        Console.note(
            "published \(attempts.count) earlier refused attempt(s) to the store's log "
                + "('escrow audit show --action attempt')"
        )
    }

    /// Unstages and removes the event files of a failed commit (see ``append(_:message:by:)``).
    private func takeBack(_ events: [Event], paths: [String], git: GitRepository) {
        do {
            try git.unstage(paths)
        } catch {
            Console.warning(
                "\(paths.count) event file(s) stay in the store uncommitted (\(error)): the next command commits them"
            )
            return
        }
        do {
            try ledger.directory.remove(events)
        } catch {
            Console.warning("\(error): the event file(s) stay in the store uncommitted; the next command commits them")
        }
    }

    /// Event files of this store that an interrupted command wrote (and the fold accepted) but never committed:
    /// killed before `git add` (untracked) or between `git add` and `git commit` (staged). The next append commits
    /// them with its own events; a staged event would otherwise block every later commit, an untracked one would
    /// never reach the other clones. Interrupted writes (`.ID.json.tmp-…`) and files that are not events of the
    /// graph are never committed.
    ///
    /// - Parameter git: The store's work tree.
    /// - Returns: Paths relative to the store.
    /// - Throws: ``EscrowError/Code/ioFailure`` naming the failing git command.
    func interruptedPaths(_ git: GitRepository) throws -> [String] {
        try git.uncommittedPaths(under: "events").filter { path in
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            guard name.count == 69, name.hasSuffix(".json"), let id = try? EventID(hex: String(name.prefix(64))) else {
                return false
            }
            return ledger.graph.contains(id) && path == Event.relativePath(of: id)
        }
    }

    /// Whether `event` is in this store but not committed to its git work tree: written by a command that was
    /// interrupted (killed) before its commit. Always `false` outside a git work tree.
    ///
    /// - Parameter event: An event of the store.
    /// - Returns: `true` if its file is untracked or only staged.
    /// - Throws: ``EscrowError/Code/ioFailure`` naming the failing git command.
    func isUncommitted(_ event: EventID) throws -> Bool {
        guard let git else { return false }
        return try interruptedPaths(git).contains(Event.relativePath(of: event))
    }

    /// Commits the event files an interrupted command left (``interruptedPaths(_:)``) and moves the high-water mark:
    /// how a retry finishes a job whose event was written before the kill.
    ///
    /// - Parameter message: The commit message.
    /// - Throws: An I/O or git error.
    func commitInterrupted(message: String) throws {
        if let git {
            let paths = try interruptedPaths(git)
            if !paths.isEmpty { _ = try git.commit(paths: paths, message: "escrow: \(message)") }
        }
        try saveTrust()
    }

    /// Refuses the store if it lacks an event this user has seen (after a sync brought in what it could).
    func checkFreshness() throws {
        try trust.check(ledger.graph)
    }

    /// Records the current heads as seen (merged with what was seen before: another clone of the same user may
    /// have seen events this one has not).
    func saveTrust() throws {
        trust = trust.updated(with: ledger.graph)
        try TrustFile.save(trust, directory: Self.trustDirectory(stateDirectory))
    }

    /// Prints one warning line when the fold refused events (details: `escrow audit verify`).
    func warnAboutFindings() {
        let violations = ledger.state.violations
        guard !violations.isEmpty else { return }
        Console.warning(
            "the store holds \(violations.count) event(s) without authority, ignored by every command "
                + "(first: \(violations[0])); run 'escrow audit verify'"
        )
    }
}
