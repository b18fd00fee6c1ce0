extension Ledger {
    /// How ``open(at:cache:)`` opened the store.
    public enum OpenKind: Sendable, Equatable {
        /// Every event file was read and verified, and the graph folded from scratch.
        case cold
        /// A fold snapshot was loaded, and `read` event files added since were read, verified and folded on top.
        case warm(read: Int)
    }

    /// Opens and verifies the store at `path`, starting from this user's fold snapshot when it still applies.
    ///
    /// Lists the store's event files without reading them. If the snapshot covers only events still present and
    /// every other event sorts after its last one in canonical order, the snapshot is loaded and only the other
    /// files are read, verified and folded on top (as ``append(_:)`` folds); the result is the one ``open(at:)``
    /// gives. Otherwise (no usable snapshot, a covered event missing, a new event sorting among the covered ones,
    /// or anything failing on the way) the store is opened cold by ``open(at:)``, with its checks and errors.
    ///
    /// Nothing is written here: the ledger says whether its snapshot is due (``snapshotIsDue``: after a cold open,
    /// when more than ``FoldCache/refreshThreshold`` events or ``FoldCache/refreshByteThreshold`` bytes of events
    /// were read on top of the snapshot or appended since; rewriting it after every command would cost more than
    /// the few events it saves reading), and the caller writes it with ``saveSnapshotIfDue(to:)`` once its command
    /// succeeded, so that a failed command leaves the state directory as it was.
    ///
    /// Events restored from the snapshot read their bodies on first use, checked against their ids (a file whose
    /// contents changed is refused, naming it).
    ///
    /// - Parameters:
    ///   - path: The store's directory.
    ///   - cache: Where this user keeps snapshots.
    /// - Returns: The open store.
    /// - Throws: What ``open(at:)`` throws.
    /// - Complexity: Warm: a directory listing, the snapshot's load (O(events + state), without reading any event
    ///   file), and the verification and folding of the m new events; cold: as ``open(at:)``.
    public static func open(at path: String, cache: FoldCache) throws(EscrowError) -> Ledger {
        try openReporting(at: path, cache: cache).ledger
    }

    /// ``open(at:cache:)``, saying how the store was opened.
    ///
    /// - Parameters:
    ///   - path: The store's directory.
    ///   - cache: Where this user keeps snapshots.
    /// - Returns: The open store and how it was opened.
    /// - Throws: What ``open(at:)`` throws.
    public static func openReporting(at path: String, cache: FoldCache) throws(EscrowError)
        -> (ledger: Ledger, kind: OpenKind)
    {
        let directory = try StoreDirectory.open(at: path)
        if let (fold, new) = warmFold(directory, cache: cache) {
            let ledger = Ledger(directory: directory, path: path, fold: fold)
            ledger.snapshotByteThreshold = cache.refreshByteThreshold
            ledger.noteBeyondSnapshot(new)
            if new.count > cache.refreshThreshold { ledger.snapshotIsDue = true }
            return (ledger, .warm(read: new.count))
        }
        let ledger = try open(at: path)
        ledger.snapshotByteThreshold = cache.refreshByteThreshold
        ledger.snapshotIsDue = true
        return (ledger, .cold)
    }

    /// Writes this user's fold snapshot if ``snapshotIsDue`` (a failure is ignored: the snapshot is only a cache).
    ///
    /// - Parameter cache: Where this user keeps snapshots.
    /// - Complexity: O(events + state) and the write when due; O(1) otherwise.
    public func saveSnapshotIfDue(to cache: FoldCache) {
        guard snapshotIsDue else { return }
        if (try? cache.save(fold)) != nil { bytesBeyondSnapshot = 0 }
        snapshotIsDue = false
    }

    /// Writes this user's fold snapshot of the ledger (atomically, 0600), e.g. after a sync brought in many events.
    ///
    /// - Parameter cache: Where this user keeps snapshots.
    /// - Throws: An I/O error (callers may ignore it: the snapshot is only a cache).
    /// - Complexity: O(events + state), plus the write.
    public func saveSnapshot(to cache: FoldCache) throws(EscrowError) {
        try cache.save(fold)
    }

    /// The snapshot's fold with the store's new events folded on top (and those events), or `nil` when a cold open
    /// is needed.
    private static func warmFold(_ directory: StoreDirectory, cache: FoldCache) -> (Fold, [Event])? {
        let files = EventFiles(directory: directory)
        guard var fold = cache.load(store: directory.marker.store, genesis: directory.marker.genesis, files: files),
            let listing = try? directory.listEventIDs(reusing: fold.stamps)
        else { return nil }
        let new = listing.ids.filter { !fold.graph.contains($0) }
        // Every covered event must still be present (a missing one is a rollback: the cold open names it): those in
        // a directory unchanged since the snapshot's listing are (DirectoryStamps), the others must be listed.
        var unchanged = [Bool](repeating: false, count: 256)
        for prefix in listing.unchanged {
            guard let byte = Hex.decode(prefix)?.first else { return nil }
            unchanged[Int(byte)] = true
        }
        var expected = 0
        for id in fold.graph.canonicalOrder where !unchanged[Int(id.firstByte)] { expected += 1 }
        guard listing.ids.count - new.count == expected else { return nil }
        fold.stamps = listing.stamps
        guard let events = try? directory.readEvents(new), let pending = try? fold.addToGraph(events),
            case .onTop = pending
        else { return nil }
        fold.finishMerge(pending)
        guard (try? fold.checkFiles()) != nil else { return nil }
        return (fold, events)
    }
}
