extension Ledger {
    /// What a sync brought in.
    public struct SyncReport: Sendable {
        /// Events received from the remote.
        public var received: Int
        /// Whether local events were pushed.
        public var pushed: Bool
        /// Findings the new events caused.
        public var findings: [Finding]
    }

    /// Pulls from the store's git remote, verifying every incoming event before anything is merged, then pushes.
    ///
    /// Only added regular files under `events/` are accepted; a modified, deleted or renamed file, a symbolic link or
    /// a submodule anywhere refuses the whole sync, as does an incoming event that fails its id, canonical form,
    /// signature, store id or parents. Events without authority are merged (they are signed history) and reported
    /// as findings by the fold.
    ///
    /// - Parameter git: The store's work tree.
    /// - Returns: The report.
    /// - Throws: ``EscrowError/Code/tampered`` naming the refused path or event; git's errors.
    public func sync(_ git: GitRepository) throws(EscrowError) -> SyncReport {
        guard try git.fetch(), let upstream = try git.upstreamCommit() else {
            try git.push()
            return SyncReport(received: 0, pushed: true, findings: [])
        }
        var paths: [String] = []
        var ids: [EventID] = []
        for change in try git.incomingChanges(from: upstream) {
            guard change.isAddedRegularFile, change.path.hasPrefix(StoreDirectory.eventsDirectory + "/") else {
                if change.path == StoreMarker.fileName, change.status != .deleted, change.newMode == .regular {
                    continue
                }
                throw EscrowError(
                    .tampered,
                    "the remote changes \(change.path) (\(change.status)): only new event files are accepted; "
                        + "nothing was merged"
                )
            }
            let name = String(change.path.split(separator: "/").last ?? "")
            guard name.hasSuffix(".json"), let id = try? EventID(hex: String(name.dropLast(5))) else {
                throw EscrowError(.tampered, "the remote adds \(change.path), which is not an event file")
            }
            guard change.path == Event.relativePath(of: id) else {
                throw EscrowError(.tampered, "the remote puts event \(id.short) at \(change.path)")
            }
            paths.append(change.path)
            ids.append(id)
        }
        // One git process for every incoming file, whatever their number.
        let contents = try git.readIncoming(paths: paths, from: upstream)
        var received: [Event] = []
        received.reserveCapacity(paths.count)
        for ((path, id), bytes) in zip(zip(paths, ids), contents) {
            received.append(try Event.decode(bytes, expectedID: id, source: path))
        }
        // Verify the union (parents present, same store, previous chains) before touching the work tree.
        let pending = try fold.addToGraph(received)
        do {
            try git.merge(upstream)
        } catch {
            fold.cancelMerge(pending)
            throw error
        }
        // The merged work tree holds exactly the verified union: fold it in memory, without reading it again.
        let before = Set(state.findings.map(\.event))
        fold.finishMerge(pending)
        // An event restored from the fold snapshot whose file changed since: refuse, naming it (the next open is
        // cold and refuses the store).
        try fold.checkFiles()
        if received.count > FoldCache.defaultRefreshThreshold { snapshotIsDue = true }
        noteBeyondSnapshot(received)
        let findings = state.findings.filter { !before.contains($0.event) }
        try git.push()
        return SyncReport(received: received.count, pushed: true, findings: findings)
    }
}
