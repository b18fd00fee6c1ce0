import Escrow
import Foundation

/// The warm cache and sync scenario: the store as a git work tree with a bare remote, a second clone, and the
/// user's fold snapshots in a state directory of their own.
extension StoreScenario {
    /// The fold snapshots of this scenario's user.
    package var foldCache: FoldCache { FoldCache(directory: directory + "-state/snapshots") }

    /// Opens the store from the user's snapshot as every CLI command does (writing one when due: after a cold open,
    /// or on top of more than 512 new events).
    ///
    /// - Returns: How it was opened.
    @discardableResult
    package func openWarm() throws -> Ledger.OpenKind {
        try FileManager.default.createDirectory(atPath: directory + "-state", withIntermediateDirectories: true)
        let (ledger, kind) = try Ledger.openReporting(at: directory, cache: foldCache)
        ledger.saveSnapshotIfDue(to: foldCache)
        self.ledger = ledger
        return kind
    }

    /// The git environment of the scenario: a fixed identity, no user or system configuration.
    package static var gitEnvironment: [String: String] {
        [
            "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_TERMINAL_PROMPT": "0",
        ]
    }

    /// Runs git in `directory` and requires success.
    package static func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "-c", "init.defaultBranch=main"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(gitEnvironment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EscrowError(.ioFailure, "git \(arguments.joined(separator: " ")) failed in \(directory)")
        }
    }

    /// Makes the store a git work tree pushed to a bare remote (`<directory>-remote.git`) and clones it to
    /// `<directory>-clone`.
    ///
    /// - Returns: The store's and the clone's repositories.
    package func makeRemoteAndClone() throws -> (store: GitRepository, clone: GitRepository) {
        let remote = directory + "-remote.git"
        let clone = directory + "-clone"
        try Self.git(["init", "--quiet", "--bare", remote], in: "/")
        try Self.git(["init", "--quiet"], in: directory)
        try Self.git(["remote", "add", "origin", remote], in: directory)
        try Self.git(["add", "-A"], in: directory)
        try Self.git(["commit", "--quiet", "-m", "store"], in: directory)
        try Self.git(["push", "--quiet", "--set-upstream", "origin", "main"], in: directory)
        try Self.git(["clone", "--quiet", remote, clone], in: "/")
        return (
            GitRepository(workTree: directory, environment: Self.gitEnvironment),
            GitRepository(workTree: clone, environment: Self.gitEnvironment)
        )
    }

    /// Appends `count` single deposits (one event each, chained), commits and pushes them.
    package func pushDeposits(_ count: Int, credential: Int, git: GitRepository) throws {
        var events: [Event] = []
        let vaults = ledger.state.vaults.count
        for index in 0..<count { events.append(try deposit(vault: index % vaults, credential: credential)) }
        try appendChained(events)
        try Self.git(["add", "-A"], in: directory)
        try Self.git(["commit", "--quiet", "-m", "deposits"], in: directory)
        try git.push()
    }
}
