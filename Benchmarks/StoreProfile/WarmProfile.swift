// swift-format-ignore-file: NeverForceUnwrap, NeverUseImplicitlyUnwrappedOptionals
// (a measuring script: every optional is set by the timed closure just before it is read)

import Escrow
import Foundation
import Sodium
import StoreScenario

/// `STORE_PROFILE_WARM=1`: single-vault commands as the CLI runs them (open the store, then the command), cold and
/// warm, and `sync` of 1,000 events from a second clone through a bare remote, before (one git process per file and
/// a cold reopen, measured by their parts) and after.
func profileWarm(_ scenario: StoreScenario, runs: Int) throws {
    let cache = scenario.foldCache
    try FileManager.default.createDirectory(atPath: scenario.directory + "-state", withIntermediateDirectories: true)
    // STORE_PROFILE_WARM_LOOP=N: N warm opens and nothing else (for `perf record`).
    if let loops = ProcessInfo.processInfo.environment["STORE_PROFILE_WARM_LOOP"].flatMap({ Int($0) }) {
        try scenario.openWarm()
        let seconds = try timed("warm open loop") { for _ in 0..<loops { try scenario.openWarm() } }
        print(String(format: "%d warm opens: %.3f s, cpu %.3f s", loops, seconds, cpu["warm open loop"]![0]))
        let listing = try timed("listing loop") {
            for _ in 0..<loops { _ = try StoreDirectory.open(at: scenario.directory).listEventIDs() }
        }
        print(String(format: "%d listings: %.3f s, cpu %.3f s", loops, listing, cpu["listing loop"]![0]))
        var kept: [Ledger] = []
        let opens = try timed("open loop") {
            for _ in 0..<loops { kept.append(try Ledger.open(at: scenario.directory, cache: cache)) }
        }
        print(String(format: "%d opens without deallocation: %.3f s, cpu %.3f s", loops, opens, cpu["open loop"]![0]))
        return
    }
    report(
        "cold open (every command before)",
        try (0..<runs).map { _ in try timed("cold open (every command before)") { try scenario.reopen() } }
    )
    report(
        "cold open + snapshot write (first warm open)",
        try (0..<runs).map { _ in
            try timed("cold open + snapshot write (first warm open)") {
                try? FileManager.default.removeItem(atPath: cache.directory)
                let kind = try scenario.openWarm()
                precondition(kind == .cold)
            }
        }
    )
    let snapshotBytes =
        (try? FileManager.default.attributesOfItem(
            atPath: cache.directory
                + "/fold-\(scenario.ledger.state.storeID.map { String(format: "%02x", $0) }.joined()).snapshot"
        )[.size] as? Int) ?? 0
    print(String(format: "snapshot: %.1f MB for %d events", Double(snapshotBytes) / 1e6, scenario.ledger.graph.count))
    report(
        "  list event files only",
        try (0..<runs).map { _ in
            try timed("  list event files only") { _ = try StoreDirectory.open(at: scenario.directory).listEventIDs() }
        }
    )
    report(
        "  snapshot write only",
        try (0..<runs).map { _ in try timed("  snapshot write only") { try scenario.ledger.saveSnapshot(to: cache) } }
    )
    report(
        "warm open, nothing new",
        try (0..<runs).map { _ in
            try timed("warm open, nothing new") {
                let kind = try scenario.openWarm()
                precondition(kind == .warm(read: 0))
            }
        },
        target: "(snapshot load + listing)"
    )

    // Each command as a CLI process runs it: a warm open (reading the events since the snapshot), then the command.
    var show: [Double] = []
    var put: [Double] = []
    var request: [Double] = []
    var approve: [Double] = []
    var open: [Double] = []
    let vaults = scenario.ledger.state.vaults.count
    for index in 0..<max(runs, 5) {
        show.append(
            try timed("warm show (open + read a vault)") {
                try scenario.openWarm()
                let vault = try scenario.ledger.vault(named: StoreScenario.vaultName(index % vaults))
                precondition(!vault.currentVersions.isEmpty)
            }
        )
        put.append(
            try timed("warm put (open + deposit)") {
                try scenario.openWarm()
                try scenario.ledger.append([try scenario.deposit(vault: index % vaults, credential: 0)])
            }
        )
        var made: (EventID, BoxKeyPair)!
        request.append(
            try timed("warm request (open + request)") {
                try scenario.openWarm()
                made = try scenario.openRequest(vault: index % vaults, by: "alice")
            }
        )
        for name in ["bob", "carol", "dave"] {
            approve.append(
                try timed("warm approve (open + approve)") {
                    try scenario.openWarm()
                    try scenario.ledger.append([
                        try scenario.ledger.approve(
                            made.0,
                            by: scenario.person(name),
                            at: scenario.now(),
                            random: &scenario.random
                        )
                    ])
                }
            )
        }
        open.append(
            try timed("warm open (open + rebuild + append)") {
                try scenario.openWarm()
                let (opened, event) = try scenario.ledger.open(
                    made.0,
                    requestKeys: made.1,
                    by: scenario.person("alice"),
                    at: scenario.now()
                )
                precondition(!opened.isEmpty)
                try scenario.ledger.append([event])
            }
        )
    }
    report("warm show (open + read a vault)", show, target: "≤ 150 ms")
    report("warm put (open + deposit)", put, target: "≤ 150 ms")
    report("warm request (open + request)", request, target: "≤ 150 ms")
    report("warm approve (open + approve)", approve, target: "≤ 150 ms")
    report("warm open (open + rebuild + append)", open, target: "≤ 150 ms")

    // Sync of 1,000 events from a second clone.
    let (storeGit, cloneGit) = try scenario.makeRemoteAndClone()
    try scenario.pushDeposits(1_000, credential: 0, git: storeGit)
    // The clone's user has a snapshot of the clone (its own state directory).
    let cloneCache = FoldCache(directory: cloneGit.workTree + "-state")
    try FileManager.default.createDirectory(atPath: cloneCache.directory, withIntermediateDirectories: true)
    try Ledger.open(at: cloneGit.workTree, cache: cloneCache).saveSnapshotIfDue(to: cloneCache)  // cold: written
    let cloneLedger = try Ledger.open(at: cloneGit.workTree, cache: cloneCache)
    // Before: one git process (three, in fact) per incoming file, then a cold reopen.
    let fetched = try cloneGit.fetch()
    precondition(fetched)
    let upstream = try cloneGit.upstreamCommit()!
    let incoming = try cloneGit.incomingChanges(from: upstream).map(\.path).filter { $0.hasPrefix("events/") }
    precondition(incoming.count == 1_000)
    let perFile = try timed("before: read 1,000 files, one git cat-file each") {
        for path in incoming { _ = try cloneGit.readIncoming(path: path, from: upstream) }
    }
    report("before: read 1,000 files, one git cat-file each", [perFile])
    let batched = try timed("after: read 1,000 files, one git cat-file --batch") {
        _ = try cloneGit.readIncoming(paths: incoming, from: upstream)
    }
    report("after: read 1,000 files, one git cat-file --batch", [batched])
    var report0: Ledger.SyncReport!
    let sync = try timed("sync of 1,000 events (fetch+read+verify+merge+fold+push)") {
        report0 = try cloneLedger.sync(cloneGit)
    }
    precondition(report0.received == 1_000)
    report("sync of 1,000 events (fetch+read+verify+merge+fold+push)", [sync], target: "≤ 2 s")
    let reopen = try timed("  cold reopen after the merge (what sync did before)") {
        _ = try Ledger.open(at: cloneGit.workTree)
    }
    report("  cold reopen after the merge (what sync did before)", [reopen])
    let rewrite = timed("  snapshot rewrite after the sync (1,000 > 512 new)") {
        cloneLedger.saveSnapshotIfDue(to: cloneCache)
    }
    report("  snapshot rewrite after the sync (1,000 > 512 new)", [rewrite])
    let warmAfter = try timed("  next command's warm open after the sync") {
        let (_, kind) = try Ledger.openReporting(at: cloneGit.workTree, cache: cloneCache)
        precondition(kind == .warm(read: 0))
    }
    report("  next command's warm open after the sync", [warmAfter])
}
