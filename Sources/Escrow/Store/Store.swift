import Sodium

/// An escrow store: a directory holding the roster, one file per vault and the audit log (see ``StoreLayout``).
///
/// Every command works inside ``withLock(_:)``: it takes the store's exclusive lock, runs crash recovery, and hands
/// the body a ``StoreSession`` to read files and commit changes. A commit — of one change or of a batch of thousands
/// (``StoreSession/commitBatch(_:actor:)``) — follows one protocol, so that there is no change without its audit
/// record and no audit record without its change, even across a crash:
///
/// 1. write each new file as `.NAME.pending` beside it and make them all durable (``BatchDurability``);
/// 2. append the audit records, which carry the BLAKE2b-256 of every new file, with one `write`, and `fsync` the log —
///    **the commit point**;
/// 3. `rename` each pending file over its target and `fsync` each directory once.
///
/// Recovery (at every ``withLock(_:)``) cuts a torn last audit line and a torn batch of records (``AuditBatch``), rolls
/// forward pending files whose hash the last commit carries, and deletes any other pending file. A failure before the
/// commit point removes the pending files, so the store is byte-for-byte unchanged. See <doc:StoreProtocol>.
public final class Store {
    /// The store's files.
    public let layout: StoreLayout
    /// The store descriptor.
    public let descriptor: StoreDescriptor
    /// The clock used for timestamps.
    public let clock: EscrowClock
    /// What the last recovery did (empty when there was nothing to recover), for the CLI to report.
    public private(set) var recoveryNotes: [String] = []

    /// How commits make their new files durable (see ``BatchDurability``).
    public var batchDurability: BatchDurability = .automatic

    /// Test hook: stop a commit after this step as a crash would (no clean-up).
    var crashPoint: CommitStep?

    private init(layout: StoreLayout, descriptor: StoreDescriptor, clock: EscrowClock) {
        self.layout = layout
        self.descriptor = descriptor
        self.clock = clock
    }

    /// Opens an existing store (reads only the descriptor; recovery runs when the lock is taken).
    ///
    /// - Parameters:
    ///   - path: The store directory.
    ///   - clock: The clock for timestamps.
    /// - Returns: The store.
    /// - Throws: ``EscrowError/Code/notFound`` if `path` is not a store; ``EscrowError/Code/malformedFile`` or
    ///   ``EscrowError/Code/unsupportedVersion`` for a bad descriptor.
    public static func open(at path: String, clock: EscrowClock = .system) throws(EscrowError) -> Store {
        let layout = StoreLayout(root: path)
        let descriptorPath = layout.path(StoreLayout.descriptorPath)
        guard FileSystem.exists(descriptorPath) else {
            if FileSystem.isDirectory(path) {
                throw EscrowError(
                    .notFound,
                    "\(path) is not an escrow store (no \(StoreLayout.descriptorPath))",
                    hint: .createStore
                )
            }
            throw EscrowError(.notFound, "no escrow store at \(path)", hint: .createOrLocateStore)
        }
        let descriptor = try StoreDescriptor.decode(
            try FileSystem.read(descriptorPath, limit: 1 << 16),
            source: descriptorPath
        )
        return Store(layout: layout, descriptor: descriptor, clock: clock)
    }

    /// Creates a new store whose first roster member is `founder` (`escrow init`).
    ///
    /// The store is assembled in a hidden directory beside `path` and renamed into place, so a crash never leaves
    /// half a store. `path` may be missing or an empty directory.
    ///
    /// - Parameters:
    ///   - path: The new store directory.
    ///   - founder: The identity creating the store; it signs the genesis record.
    ///   - reason: An optional reason for the audit log.
    ///   - clock: The clock for timestamps.
    /// - Returns: The store and its genesis audit record.
    /// - Throws: ``EscrowError/Code/alreadyExists`` if `path` is a non-empty directory or a file;
    ///   ``EscrowError/Code/ioFailure``.
    public static func create(
        at path: String,
        founder: CustodianIdentity,
        reason: String? = nil,
        clock: EscrowClock = .system
    ) throws(EscrowError) -> (store: Store, record: AuditRecord) {
        try NameRules.validateReason(reason)
        if FileSystem.exists(path) {
            guard FileSystem.isDirectory(path), try FileSystem.list(path).isEmpty else {
                throw EscrowError(.alreadyExists, "\(path) already exists and is not an empty directory")
            }
        }
        let parent = FileSystem.directory(of: path)
        try makeParents(parent)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let staging = "\(parent)/.\(name).init-\(Hex.encode(Sodium.randomBytes(6)))"
        try FileSystem.makeDirectory(staging, mode: 0o755)
        do {
            let now = clock.now
            let descriptor = StoreDescriptor(id: Sodium.randomBytes(16), createdAt: now)
            var roster = Roster()
            try roster.add(founder.publicIdentity, at: now, by: founder.publicIdentity.fingerprint)
            let descriptorBytes = try descriptor.encoded()
            let rosterBytes = try roster.encoded()
            var record = AuditRecord(
                seq: 1,
                time: now,
                action: .storeInit,
                vault: nil,
                actor: founder.publicIdentity,
                reason: reason,
                details: ["store_id": descriptor.id.description, "identity": founder.publicIdentity.line],
                files: [
                    AuditRecord.FileHash(
                        path: StoreLayout.descriptorPath,
                        hash: HexBytes(AuditChain.hash(ofFile: descriptorBytes))
                    ),
                    AuditRecord.FileHash(
                        path: StoreLayout.rosterPath,
                        hash: HexBytes(AuditChain.hash(ofFile: rosterBytes))
                    ),
                ],
                prev: AuditChain.genesis
            )
            try record.sign(by: founder)
            let stagingLayout = StoreLayout(root: staging)
            try FileSystem.makeDirectory(stagingLayout.path(StoreLayout.vaultsPath))
            try DurableFile.writeDurably([], to: stagingLayout.path(StoreLayout.lockPath))
            try DurableFile.writeDurably(descriptorBytes, to: stagingLayout.path(StoreLayout.descriptorPath))
            try DurableFile.writeDurably(rosterBytes, to: stagingLayout.path(StoreLayout.rosterPath))
            try DurableFile.writeDurably(
                try record.line() + [UInt8(ascii: "\n")],
                to: stagingLayout.path(StoreLayout.auditPath)
            )
            try DurableFile.syncDirectory(stagingLayout.path(StoreLayout.vaultsPath))
            try DurableFile.syncDirectory(staging)
            try DurableFile.rename(staging, over: path)
            try DurableFile.syncDirectory(parent)
            return (Store(layout: StoreLayout(root: path), descriptor: descriptor, clock: clock), record)
        } catch {
            try? FileSystem.removeTree(staging)
            throw error
        }
    }

    private static func makeParents(_ path: String) throws(EscrowError) {
        guard !path.isEmpty, path != "/", path != ".", !FileSystem.isDirectory(path) else { return }
        try makeParents(FileSystem.directory(of: path))
        do {
            try FileSystem.makeDirectory(path, mode: 0o755)
        } catch  where error.code == .alreadyExists {
            // Created concurrently: fine.
        }
    }

    /// Takes the store's exclusive lock, runs crash recovery, and runs `body`. The lock is released when `body`
    /// returns or throws.
    ///
    /// - Parameter body: Reads and commits through the session.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or recovery and locking errors.
    public func withLock<R>(_ body: (StoreSession) throws(EscrowError) -> R) throws(EscrowError) -> R {
        let lock = try StoreLock(path: layout.path(StoreLayout.lockPath))
        defer { lock.release() }
        let session = StoreSession(store: self)
        recoveryNotes = try session.recover()
        return try body(session)
    }
}
