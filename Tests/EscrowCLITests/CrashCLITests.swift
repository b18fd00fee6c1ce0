import Escrow
import Foundation
import Sodium
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kill -9 at random points of the commands that write: after each kill the store opens and folds without
/// violations, `escrow audit verify` passes, nothing committed is lost, git holds no interrupted write
/// (`.ID.json.tmp-…`), and retrying the command works.
///
/// Three sizes: every `swift test` runs a few kills at delays drawn from a fixed seed (bounded to ~30 s; the
/// kill points still depend on the machine's speed); `ESCROW_CRASH=1` draws the delays from the system generator;
/// `ESCROW_CRASH_LONG=1` (scripts/crash-suite.sh) runs hundreds of kills (a re-split of 500 vaults, a batch
/// deposit of 500 lines, ten rounds of sync). Each test prints what it did
/// and a histogram of the kill points reached (see SECURITY.md, "Crash safety, measured").
@Suite(.serialized)
struct CrashCLITests {
    static let environment = ProcessInfo.processInfo.environment
    static let long = environment["ESCROW_CRASH_LONG"] != nil
    static let randomSeeds = long || environment["ESCROW_CRASH"] != nil

    /// The delay generator: seeded in the default run, from the system otherwise (the seed is printed).
    static func generator(_ seed: UInt64) -> CrashRandom {
        let seed = randomSeeds ? UInt64.random(in: 0...UInt64.max) : seed
        print("crash suite seed: \(seed)")
        return CrashRandom(state: seed)
    }

    /// Where a killed command was stopped, judged from what it left behind.
    enum KillPoint: String, CaseIterable {
        case nothingWritten = "before writing its event"
        case uncommitted = "after writing, before the git commit"
        case committed = "after the git commit"
        case finished = "already finished"
    }

    /// When to kill: after a delay, or a little after the `count`-th change the command makes to the store's event
    /// directories or to `.git` (a temporary event file created, renamed into place, `index.lock` taken or renamed,
    /// a ref updated): that aims at the short window between writing an event and committing it, which plain delays
    /// rarely hit (start-up and folding take most of a run).
    enum Trigger {
        case delay(milliseconds: Int)
        case storeChange(count: Int, thenMicroseconds: Int)
    }

    /// inotify watches on the store's event directories and its `.git` directory (Linux).
    final class StoreWatch {
        let descriptor: Int32

        init(store: String) {
            descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE)
            var directories = [store + "/events", store + "/.git", store + "/.git/refs/heads"]
            let prefixes = (try? FileManager.default.contentsOfDirectory(atPath: store + "/events")) ?? []
            directories += prefixes.map { store + "/events/" + $0 }
            for directory in directories { _ = inotify_add_watch(descriptor, directory, mask) }
        }

        deinit { close(descriptor) }

        /// The number of changes reported since the last call.
        func drain() -> Int {
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            var changes = 0
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { return changes }
                var offset = 0
                while offset + 16 <= count {
                    let nameLength = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 12, as: UInt32.self) }
                    offset += 16 + Int(nameLength)
                    changes += 1
                }
            }
        }
    }

    /// Runs escrow and SIGKILLs it at `trigger` (only the escrow process: a git child it started runs on, as after
    /// a real crash). Returns whether it was killed (not already done) and how many changes to `store` (see
    /// ``Trigger``) were seen by then. With `output`, the command's standard output goes to that file.
    static func runKilled(
        _ fixture: StoreCLIFixture,
        _ arguments: [String],
        trigger: Trigger,
        store: String? = nil,
        extra: [String: String] = [:],
        output: String? = nil
    ) throws -> (killed: Bool, changes: Int) {
        let process = Process()
        process.executableURL = fixture.cli.executable
        process.arguments = arguments
        process.currentDirectoryURL = fixture.cli.directory
        // As every other run of the tests (CLIHarness): without ESCROW_ALLOW_TEST_PROFILE the cheap test identities
        // are refused at start-up, and every kill would land before the command did anything.
        process.environment = CLIHarness.environment(fixture.environment.merging(extra) { $1 })
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        if let output {
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: output)
        }
        process.standardError = FileHandle.nullDevice
        let watch = store.map(StoreWatch.init(store:))
        try process.run()
        let pid = process.processIdentifier
        var changes = 0
        switch trigger {
        case .delay(let milliseconds):
            usleep(useconds_t(milliseconds * 1000))
        case .storeChange(let count, let microseconds):
            // Poll every 100 µs until the count is reached or the command ends.
            while process.isRunning && changes < count {
                changes += watch?.drain() ?? 0
                if changes < count { usleep(100) }
            }
            if changes >= count { usleep(useconds_t(microseconds)) }
        }
        // Only a running process is killed: once Foundation has reaped a finished one its pid can be reused at once,
        // by another test's escrow or git (swift-testing runs other suites in parallel) or by anything on the
        // machine, and SIGKILL would hit that process instead ("failed without a message").
        let killed = process.isRunning
        if killed { kill(pid, SIGKILL) }
        process.waitUntilExit()
        changes += watch?.drain() ?? 0
        return (killed && process.terminationReason == .uncaughtSignal, changes)
    }

    /// How many changes to the store (see ``Trigger``) an uninterrupted run of `arguments` makes, and how long it
    /// takes in ms.
    static func profile(_ fixture: StoreCLIFixture, _ arguments: [String]) throws -> (milliseconds: Int, changes: Int) {
        let started = Date()
        let run = try runKilled(
            fixture,
            arguments,
            trigger: .storeChange(count: Int.max, thenMicroseconds: 0),
            store: fixture.store
        )
        #expect(!run.killed, "the profiling run must finish")
        print("escrow \(arguments.prefix(2).joined(separator: " ")): \(run.changes) changes to the store")
        return (Int(Date().timeIntervalSince(started) * 1000), run.changes)
    }

    /// The event paths of a work tree that git holds: in the index (staged or committed), or with `head: true` in
    /// HEAD's tree only.
    static func committed(_ fixture: StoreCLIFixture, store: String, head: Bool = false) throws -> Set<String> {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["git", "-C", store] + (head ? ["ls-tree", "-r", "-z", "--name-only", "HEAD"] : ["ls-files", "-z"])
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Set(data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
    }

    /// Waits for a killed command's git child (it outlives its parent) to let go of the index.
    static func waitForGit(_ store: String) {
        for _ in 0..<200 where FileManager.default.fileExists(atPath: store + "/.git/index.lock") { usleep(20_000) }
    }

    /// The invariants after a kill; returns the committed paths now.
    static func check(
        _ fixture: StoreCLIFixture,
        store: String,
        committedBefore: Set<String>,
        extra: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (Ledger, Set<String>) {
        waitForGit(store)
        let ledger = try Ledger.open(at: store)
        #expect(ledger.state.violations.isEmpty, "\(ledger.state.violations)", sourceLocation: sourceLocation)
        let committed = try committed(fixture, store: store)
        #expect(committedBefore.isSubset(of: committed), "committed files lost", sourceLocation: sourceLocation)
        for path in committed {
            #expect(!path.contains(".tmp-"), "git holds \(path)", sourceLocation: sourceLocation)
            #expect(
                FileManager.default.fileExists(atPath: store + "/" + path),
                "\(path) is committed but gone",
                sourceLocation: sourceLocation
            )
        }
        let verify = try fixture.run(["audit", "verify", "--store", store], extra: extra)
        #expect(verify.status == 0, "audit verify: \(verify.stderr)", sourceLocation: sourceLocation)
        return (ledger, committed)
    }

    /// How long `arguments` takes uninterrupted, in ms, and how many changes it makes to the store, measured on the store
    /// and then undone (the store and the state directory are restored).
    static func measure(_ fixture: StoreCLIFixture, _ arguments: [String]) throws -> (
        milliseconds: Int, changes: Int
    ) {
        let snapshot = fixture.cli.path("measure-store")
        let stateSnapshot = fixture.cli.path("measure-state")
        try copyTree(fixture.store, to: snapshot)
        try copyTree(fixture.cli.path("state"), to: stateSnapshot)
        let profile = try profile(fixture, arguments)
        try copyTree(snapshot, to: fixture.store)
        try copyTree(stateSnapshot, to: fixture.cli.path("state"))
        return profile
    }

    /// A kill point for a command profiled by ``measure(_:_:)``: half of the time a delay between 20% and 105% of
    /// its duration (start-up and folding, where nothing is written yet, take most of it), otherwise 0–2 ms after
    /// one of the changes it makes to the store (the write-to-commit window; where none was seen, a delay too).
    static func trigger(
        for profile: (milliseconds: Int, changes: Int),
        using generator: inout some RandomNumberGenerator
    ) -> Trigger {
        let duration = profile.milliseconds
        if profile.changes == 0 || Bool.random(using: &generator) {
            let delay = Int.random(in: (duration / 5)...max(duration / 5 + 1, duration * 21 / 20), using: &generator)
            return .delay(milliseconds: delay)
        }
        return .storeChange(
            count: Int.random(in: 1...profile.changes, using: &generator),
            thenMicroseconds: Int.random(in: 0...2000, using: &generator)
        )
    }

    /// Kills `arguments` at random delays until a run completes (then it must have succeeded or the retry must), or
    /// until `afterEach` (which checks the store after each kill) says the command's work is already done; returns
    /// the number of kills. The delays are drawn by ``trigger(for:using:)`` for the time an uninterrupted run
    /// takes (measured first), or up to `window` ms where the command cannot be undone (sync pushes).
    static func killUntilDone(
        _ fixture: StoreCLIFixture,
        _ arguments: [String],
        store: String,
        window: Int? = nil,
        maximumKills: Int,
        generator: inout some RandomNumberGenerator,
        extra: [String: String] = [:],
        afterEach: (Ledger) throws -> Bool
    ) throws -> Int {
        var kills = 0
        var committed = try committed(fixture, store: store)
        var points: [KillPoint: Int] = [:]
        let profile = try window == nil ? measure(fixture, arguments) : nil
        while kills < maximumKills {
            let trigger: Trigger
            if let profile {
                trigger = Self.trigger(for: profile, using: &generator)
            } else {
                trigger = .delay(milliseconds: Int.random(in: 0...(window ?? 100), using: &generator))
            }
            guard try runKilled(fixture, arguments, trigger: trigger, store: store, extra: extra).killed else {
                points[.finished, default: 0] += 1
                break
            }
            kills += 1
            let (ledger, now) = try check(fixture, store: store, committedBefore: committed, extra: extra)
            points[try killPoint(ledger, store: store, fixture, committedBefore: committed), default: 0] += 1
            committed = now
            if try afterEach(ledger) { break }
        }
        print("escrow \(arguments.prefix(2).joined(separator: " ")): \(describe(points))")
        return kills
    }

    /// `kill point: count, …`.
    static func describe(_ points: [KillPoint: Int]) -> String {
        KillPoint.allCases.compactMap { point in points[point].map { "\(point.rawValue): \($0)" } }
            .joined(separator: ", ")
    }

    /// A store (git work tree) with alice … erin and `count` active 2-of-4 vaults (alice, bob, carol, erin), one
    /// deposit each, made with the library (fast), pinned.
    static func manyVaults(_ fixture: StoreCLIFixture, count: Int) throws {
        try fixture.initStoreWithRoster(custodians: ["bob", "carol", "dave", "erin"])
        let ledger = try Ledger.open(at: fixture.store)
        var people: [String: CustodianIdentity] = [:]
        for name in ["alice", "bob", "carol", "erin"] { people[name] = try fixture.unlockedIdentity(name) }
        let alice = try #require(people["alice"])
        var random = StreamRandom()
        for index in 0..<count {
            let create = try ledger.createVault(
                named: "v\(index)",
                metadata: [:],
                threshold: 2,
                custodians: ["alice", "bob", "carol", "erin"],
                by: alice,
                at: EscrowClock.system.now
            )
            var events = [create]
            try ledger.append([create])
            events.removeAll()
            for name in ["alice", "bob", "carol", "erin"] {
                try ledger.append([
                    try ledger.acknowledgeCustody(
                        of: create.id,
                        by: try #require(people[name]),
                        at: EscrowClock.system.now
                    )
                ])
            }
            try ledger.append([
                try ledger.deposit(
                    SecureBytes(copying: Array("secret-\(index)".utf8)),
                    into: "v\(index)",
                    entry: "root",
                    kind: .password,
                    by: alice,
                    at: EscrowClock.system.now,
                    random: &random
                )
            ])
        }
        for arguments in [["init", "-q"], ["add", "-A"], ["commit", "-qm", "store"]] { _ = try fixture.git(arguments) }
        try fixture.succeed([
            "store", "trust", "--store", fixture.store, "--fingerprint", ledger.state.genesis.fingerprint,
        ])
    }

    /// A size for each run: the default `swift test`, `ESCROW_CRASH=1`, `ESCROW_CRASH_LONG=1`.
    static func size(_ short: Int, _ medium: Int, _ long: Int) -> Int {
        Self.long ? long : (randomSeeds ? medium : short)
    }

    /// Copies a directory tree (`cp -a`), replacing `destination`.
    static func copyTree(_ source: String, to destination: String) throws {
        try? FileManager.default.removeItem(atPath: destination)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cp")
        process.arguments = ["-a", source, destination]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "cp -a \(source) \(destination)")
    }

    /// Bulk re-split of many vaults (request → approvals → execute), each step killed at random points. The
    /// execution is killed from the same approved store again and again (store and state directory restored before
    /// each run): one or two kills, then the retry, which must finish the job or say it is done.
    @Test func bulkResplitSurvivesKills() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let count = Self.size(6, 40, 500)
        try Self.manyVaults(fixture, count: count)
        var generator = Self.generator(0x5EED_0001)
        let perStep = Self.size(1, 10, 10)
        var kills = 0
        let reshare =
            ["vault", "reshare", "--all", "--remove", "erin", "--reason", "erin left", "--json"]
            + fixture.acting("alice")
        kills += try Self.killUntilDone(
            fixture,
            reshare,
            store: fixture.store,
            maximumKills: perStep,
            generator: &generator
        ) { ledger in
            // A killed run that wrote its request is done: running it again would make a second request (as
            // re-running any request command does), so the loop stops there.
            #expect(ledger.state.requests.count <= 1)
            return !ledger.state.requests.isEmpty
        }
        var ledger = try Ledger.open(at: fixture.store)
        if ledger.state.requests.isEmpty { try fixture.succeed(reshare) }
        ledger = try Ledger.open(at: fixture.store)
        let request = try #require(ledger.state.requests.keys.first).description
        for name in ["bob", "carol"] {
            let approve = ["unlock", "approve", request, "--yes", "--offline"] + fixture.acting(name)
            kills += try Self.killUntilDone(
                fixture,
                approve,
                store: fixture.store,
                maximumKills: perStep,
                generator: &generator
            ) { _ in false }
            let result = try fixture.run(approve)
            #expect(result.status == 0 || result.stderr.contains("already approved"), "\(result.stderr)")
        }
        let generations = { (ledger: Ledger) -> Set<Int> in
            Set((0..<count).compactMap { ledger.state.vault(named: "v\($0)").map { Int($0.generation) } })
        }
        ledger = try Ledger.open(at: fixture.store)
        #expect(generations(ledger).count == 1)
        let execute = ["unlock", "execute", request] + fixture.acting("alice")
        let outcome = try Self.killExecutions(
            fixture,
            execute,
            runs: Self.size(3, 30, 8),
            generator: &generator
        ) { ledger in
            #expect(generations(ledger).count == 1, "half a batch: \(generations(ledger))")
        }
        kills += outcome.kills
        ledger = try Ledger.open(at: fixture.store)
        #expect(generations(ledger).count == 1)
        #expect(ledger.state.requests.values.first?.execution != nil)
        let status = try fixture.git(["status", "--porcelain", "--untracked-files=all"])
        #expect(!status.split(separator: "\n").contains { $0.hasPrefix("A ") }, "staged leftovers: \(status)")
        print(
            "bulk re-split of \(count) vaults: \(kills) kills; execute: \(outcome.runs) runs, kill points "
                + Self.describe(outcome.points)
        )
        #expect(kills >= Self.size(2, 5, 10))
    }

    /// Runs an execution `runs` times from the same approved store: each run restores the store and the state
    /// directory, kills the command once or twice at random delays (``trigger(for:using:)``), checks the
    /// invariants, then retries; the retry must succeed, or refuse in
    /// one line because the killed run already wrote the execution. The last run's store is kept.
    static func killExecutions(
        _ fixture: StoreCLIFixture,
        _ execute: [String],
        runs: Int,
        generator: inout some RandomNumberGenerator,
        afterEach: (Ledger) throws -> Void
    ) throws -> (kills: Int, runs: Int, points: [KillPoint: Int]) {
        let snapshot = fixture.cli.path("approved-store")
        let stateSnapshot = fixture.cli.path("approved-state")
        let state = fixture.cli.path("state")
        try copyTree(fixture.store, to: snapshot)
        try copyTree(state, to: stateSnapshot)
        let profile = try measure(fixture, execute)
        var kills = 0
        var points: [KillPoint: Int] = [:]
        for run in 0..<runs {
            try copyTree(snapshot, to: fixture.store)
            try copyTree(stateSnapshot, to: state)
            var committed = try committed(fixture, store: fixture.store)
            for _ in 0..<Int.random(in: 1...2, using: &generator) {
                let trigger = trigger(for: profile, using: &generator)
                guard try runKilled(fixture, execute, trigger: trigger, store: fixture.store).killed else {
                    points[.finished, default: 0] += 1
                    break
                }
                kills += 1
                let (ledger, now) = try check(fixture, store: fixture.store, committedBefore: committed)
                points[try killPoint(ledger, store: fixture.store, fixture, committedBefore: committed), default: 0] +=
                    1
                committed = now
                try afterEach(ledger)
            }
            let execution = try Ledger.open(at: fixture.store).state.requests.values.compactMap(\.execution).first
            var executed = false
            if let execution {
                executed = try Self.committed(fixture, store: fixture.store, head: true)
                    .contains(Event.relativePath(of: execution))
            }
            let retry = try fixture.run(execute)
            let lines = retry.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning: ") }
            // Written and committed: the retry says it is done. Written, not committed (killed before or during the
            // commit): the retry commits it and succeeds. Not written: the retry executes.
            if executed {
                #expect(
                    retry.status != 0 && lines.count == 1 && retry.stderr.contains("already executed"),
                    "run \(run): retry after a written execution: status \(retry.status), stderr: \(retry.stderr)"
                )
            } else {
                #expect(
                    retry.status == 0,
                    "run \(run): retry: status \(retry.status), stderr: \(retry.stderr) stdout: \(retry.stdoutText)"
                )
            }
            let (ledger, _) = try check(fixture, store: fixture.store, committedBefore: committed)
            #expect(ledger.state.requests.values.contains { $0.execution != nil }, "run \(run): not executed")
            // Interrupted writes stay behind as untracked `.ID.json.tmp-…` files (never read, never committed).
            let status = try fixture.git(["status", "--porcelain", "--untracked-files=all"]).split(separator: "\n")
                .filter { !($0.hasPrefix("?? ") && $0.contains(".json.tmp-")) }
            #expect(status.isEmpty, "run \(run): uncommitted after the retry: \(status)")
            try afterEach(ledger)
        }
        return (kills, runs, points)
    }

    /// Classifies a kill by what the command left: no new event, an event not committed (untracked or staged:
    /// `committedNow` is git's index), or a new commit.
    static func killPoint(
        _ ledger: Ledger,
        store: String,
        _ fixture: StoreCLIFixture,
        committedBefore: Set<String>
    ) throws -> KillPoint {
        let events = Set(ledger.graph.events.map(\.relativePath))
        if events.isSubset(of: committedBefore) { return .nothingWritten }
        let inHead = try committed(fixture, store: store, head: true)
        return events.isSubset(of: inHead) ? .committed : .uncommitted
    }

    /// The state a kill between writing an execution and committing it leaves, made deterministically: the retry of
    /// `unlock execute` commits the execution and reports it (it used to refuse with "already executed" and leave
    /// the execution uncommitted, so no other clone ever saw it). For a release the retry accepts the bundle the
    /// killed run wrote only if it is byte for byte the bundle, and writes it if it is missing.
    @Test(arguments: [RequestAction.release, .close])
    func retryFinishesAnInterruptedExecution(_ action: RequestAction) throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        for arguments in [["init", "-q"], ["add", "-A"], ["commit", "-qm", "store"]] { _ = try fixture.git(arguments) }
        let request = try support.request(action)
        let short = request.id.short
        for name in ["bob", "carol", "dave"] {
            try fixture.succeed(["unlock", "approve", short, "--yes", "--offline"] + support.acting(name))
        }
        // The killed run wrote the bundle (a release), then the execution, and was killed before the commit.
        let ledger = try Ledger.open(at: fixture.store)
        try ledger.append([try ledger.execute(request.id, by: support.person("erin"), at: support.now())])
        #expect(!(try fixture.git(["status", "--porcelain", "--untracked-files=all"]).isEmpty))
        var execute = ["unlock", "execute", short] + support.acting("erin")
        if action == .release {
            let bundle = fixture.cli.path("acme.bundle")
            try Data(try ledger.releaseBundle(for: request.id).encoded()).write(to: URL(fileURLWithPath: bundle))
            try fixture.write("something else\n", to: "other.bundle")
            try fixture.refuse(execute + ["--bundle", fixture.cli.path("other.bundle")], "already exists")
            execute += ["--bundle", bundle]
        }
        let done = try fixture.succeed(execute)
        #expect(done.stdoutText.contains("Executed \(action.rawValue) request \(short)"), "\(done.stdoutText)")
        #expect(try fixture.git(["status", "--porcelain", "--untracked-files=all"]).isEmpty)
        if action == .close {
            try fixture.refuse(execute, "already executed")
        }
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    /// `unlock open` killed at random points, from the same approved request each time: the value is never lost.
    /// Either the retry prints it (nothing was recorded yet; or the open was recorded, committed or not, and the
    /// request key is still there: the retry finishes it without a second execution), or the killed run had already
    /// printed it and deleted the key, and the retry says the request was opened. Never two executions.
    @Test func unlockOpenSurvivesKills() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let id = try support.request(reason: "audit")
        let short = String(id.prefix(12))
        try support.approve(short, by: ["bob", "carol", "dave"])
        for arguments in [["init", "-q"], ["add", "-A"], ["commit", "-qm", "store"]] { _ = try fixture.git(arguments) }
        let open = ["unlock", "open", short] + support.acting("alice")
        let snapshot = fixture.cli.path("approved-store")
        let stateSnapshot = fixture.cli.path("approved-state")
        let state = fixture.cli.path("state")
        try Self.copyTree(fixture.store, to: snapshot)
        try Self.copyTree(state, to: stateSnapshot)
        let profile = try Self.measure(fixture, open)
        var generator = Self.generator(0x5EED_0004)
        var points: [KillPoint: Int] = [:]
        var (printedByKilled, finishedByRetry) = (0, 0)
        for run in 0..<Self.size(4, 20, 60) {
            try Self.copyTree(snapshot, to: fixture.store)
            try Self.copyTree(stateSnapshot, to: state)
            let committed = try Self.committed(fixture, store: fixture.store)
            let output = fixture.cli.path("killed-output")
            let trigger = Self.trigger(for: profile, using: &generator)
            guard try Self.runKilled(fixture, open, trigger: trigger, store: fixture.store, output: output).killed
            else {
                points[.finished, default: 0] += 1
                continue
            }
            let (ledger, _) = try Self.check(fixture, store: fixture.store, committedBefore: committed)
            points[try Self.killPoint(ledger, store: fixture.store, fixture, committedBefore: committed), default: 0] +=
                1
            let killedOutput = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let retry = try fixture.run(open)
            if retry.status == 0 {
                #expect(retry.stdoutText.contains(UnlockCLISupport.password), "run \(run): \(retry.stdoutText)")
                if ledger.state.requests.values.contains(where: { $0.execution != nil }) { finishedByRetry += 1 }
            } else {
                // Only a run that got as far as deleting the key (after printing) leaves a request the retry refuses.
                #expect(retry.stderr.contains("was already opened"), "run \(run): \(retry.stderr)")
                #expect(killedOutput.contains(UnlockCLISupport.password), "run \(run): the value was lost")
                printedByKilled += 1
            }
            let after = try Ledger.open(at: fixture.store)
            #expect(after.state.requests.values.compactMap(\.execution).count == 1, "run \(run)")
            #expect(after.graph.events.filter { $0.type == "execution" }.count == 1, "run \(run): two executions")
            let status = try fixture.git(["status", "--porcelain", "--untracked-files=all"]).split(separator: "\n")
                .filter { !($0.hasPrefix("?? ") && $0.contains(".json.tmp-")) }
            #expect(status.isEmpty, "run \(run): uncommitted after the retry: \(status)")
            let keys = (try? FileManager.default.contentsOfDirectory(atPath: state + "/requests")) ?? []
            #expect(keys.isEmpty, "run \(run): request key left: \(keys)")
        }
        print(
            "unlock open: \(Self.describe(points)); finished by the retry after a recorded open: \(finishedByRetry); "
                + "printed by the killed run: \(printedByKilled)"
        )
    }

    /// `vault put --batch` of many lines, killed at random points: the store holds the whole batch or none of it,
    /// and the retry deposits it.
    @Test func batchDepositSurvivesKills() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try Self.manyVaults(fixture, count: 2)
        let lines = (0..<Self.size(40, 100, 500)).map {
            "{\"vault\":\"v\($0 % 2)\",\"entry\":\"pw-\($0)\",\"kind\":\"password\",\"value\":\"v-\($0)\"}"
        }
        try fixture.write(lines.joined(separator: "\n") + "\n", to: "batch.jsonl")
        var generator = Self.generator(0x5EED_0002)
        let put = ["vault", "put", "--batch", fixture.cli.path("batch.jsonl")] + fixture.acting("alice")
        let entries = { (ledger: Ledger) -> Int in
            (0..<2).compactMap { ledger.state.vault(named: "v\($0)")?.entries.count }.reduce(0, +)
        }
        let kills = try Self.killUntilDone(
            fixture,
            put,
            store: fixture.store,
            maximumKills: Self.size(3, 20, 100),
            generator: &generator
        ) { ledger in
            // A batch of at most 1,000 lines is one deposit.batch event: a kill leaves all of it or none.
            let count = entries(ledger)
            #expect(count == 2 || count == 2 + lines.count, "\(count) entries")
            return false
        }
        let ledger = try Ledger.open(at: fixture.store)
        if entries(ledger) < 2 + lines.count { try fixture.succeed(put) }
        #expect(entries(try Ledger.open(at: fixture.store)) == 2 + lines.count)
        // Interrupted writes stay behind as untracked `.ID.json.tmp-…` files: never staged, never committed.
        let status = try fixture.git(["status", "--porcelain", "--untracked-files=all"]).split(separator: "\n")
        let leftovers = status.filter { !($0.hasPrefix("?? ") && $0.contains(".json.tmp-")) }
        #expect(leftovers.isEmpty, "uncommitted: \(leftovers.joined(separator: "; "))")
        print("batch deposit of \(lines.count) lines: \(kills) kills")
    }

    /// `escrow sync` between two clones of a bare remote, killed at random points on both sides; every retry
    /// brings both clones to the same events.
    @Test func syncSurvivesKills() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let support = GitCLISupport(fixture: fixture)
        try support.setUp(clones: ["one", "two"])
        var generator = Self.generator(0x5EED_0003)
        var kills = 0
        let rounds = Self.size(1, 4, 10)
        for round in 0..<rounds {
            try support.createVault("r\(round)", on: "one")
            for clone in ["one", "two"] {
                kills += try Self.killUntilDone(
                    fixture,
                    ["sync", "--store", support.path(clone)],
                    store: support.path(clone),
                    window: 120,
                    maximumKills: Self.size(2, 10, 10),
                    generator: &generator,
                    extra: support.user(clone)
                ) { _ in false }
                try support.succeed(clone, ["sync"])
            }
            try support.succeed("one", ["sync"])
            #expect(Set(try support.heads("one")) == Set(try support.heads("two")), "round \(round)")
            #expect(try Ledger.open(at: support.path("two")).state.vault(named: "r\(round)") != nil)
        }
        print("sync between two clones: \(kills) kills")
    }
}

/// SplitMix64: the crash suite's delay generator (seeded in the default run).
struct CrashRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
