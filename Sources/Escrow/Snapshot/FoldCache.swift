import Sodium

/// Where this user keeps fold snapshots (``FoldSnapshot``): a directory of the user's own state (never inside a
/// store), holding `fold-snapshot.key` (32 random bytes, 0600, created on first use) and one
/// `fold-<store id>.snapshot` per store (0600, replaced atomically).
///
/// Anyone who can write this directory can already replace the user's trust pins next to it; the MAC keeps a
/// snapshot from being forged by anyone who cannot read the key, and a snapshot is only a cache: one that fails its
/// MAC, belongs to another store or has another format is ignored (the store is opened cold and a new snapshot
/// written), never an error.
public struct FoldCache: Sendable {
    /// The directory.
    public let directory: String
    /// A snapshot is rewritten when more than this many events were read on top of it (see ``Ledger/open(at:cache:)``).
    public let refreshThreshold: Int
    /// The default ``refreshThreshold`` (512): reading and verifying 512 events costs about as much as loading
    /// the snapshot of 10,000 vaults, and rewriting it after every command would cost more than it saves.
    public static let defaultRefreshThreshold = 512
    /// A snapshot is also rewritten when more than this many bytes of events were read on top of it or appended by
    /// the ledger opened from it (see ``Ledger/snapshotIsDue``).
    public let refreshByteThreshold: Int
    /// The default ``refreshByteThreshold`` (4 MiB): a few bulk events (a re-split's approvals are tens of
    /// megabytes) cost seconds to read and fold at every command, far more than rewriting the snapshot once.
    public static let defaultRefreshByteThreshold = 4 << 20

    /// The key file's name.
    static let keyFileName = "fold-snapshot.key"

    /// Uses `directory` (created 0700 if missing when something is written).
    ///
    /// - Parameters:
    ///   - directory: The user's state directory.
    ///   - refreshThreshold: How many events read on top of a snapshot make it worth rewriting (512 by default).
    ///   - refreshByteThreshold: How many bytes of events read on top of a snapshot, or appended since, make it
    ///     worth rewriting (4 MiB by default).
    public init(
        directory: String,
        refreshThreshold: Int = defaultRefreshThreshold,
        refreshByteThreshold: Int = defaultRefreshByteThreshold
    ) {
        self.directory = directory
        self.refreshThreshold = refreshThreshold
        self.refreshByteThreshold = refreshByteThreshold
    }

    /// The snapshot file of the store `store`.
    func snapshotPath(store: [UInt8]) -> String {
        "\(directory)/fold-\(Hex.encode(store)).snapshot"
    }

    /// The key, or `nil` if there is none (or it is unusable).
    func existingKey() -> SecureBytes? {
        guard let key = try? FileSystem.readSecret(path: "\(directory)/\(Self.keyFileName)", limit: 1024),
            key.count == FoldSnapshot.keyCount
        else { return nil }
        return key
    }

    /// The key, created if missing or unusable.
    func key() throws(EscrowError) -> SecureBytes {
        if let key = existingKey() { return key }
        if !FileSystem.isDirectory(directory) { try FileSystem.makeDirectory(directory, mode: 0o700) }
        let key = SecureBytes.random(count: FoldSnapshot.keyCount)
        let bytes = key.withUnsafeBytes { Array($0) }
        var copy = bytes
        defer { copy.withUnsafeMutableBytes { Sodium.memzero($0) } }
        try DurableFile.write(copy, to: "\(directory)/\(Self.keyFileName)", mode: 0o600)
        return key
    }

    /// The snapshot of `store` with genesis `genesis`, if there is a usable one.
    func load(store: [UInt8], genesis: EventID, files: EventFiles) -> Fold? {
        guard let key = existingKey(),
            let bytes = try? FileSystem.read(snapshotPath(store: store), limit: 1 << 31)
        else { return nil }
        return (try? FoldSnapshot.decode(bytes, key: key, store: store, genesis: genesis, files: files)) ?? nil
    }

    /// Writes a snapshot of `fold` (atomically, 0600).
    func save(_ fold: Fold) throws(EscrowError) {
        let key = try key()
        let bytes = FoldSnapshot.encode(fold, key: key)
        try DurableFile.write(bytes, to: snapshotPath(store: fold.graph.store), mode: 0o600)
    }
}
