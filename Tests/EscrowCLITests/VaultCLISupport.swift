import Escrow
import Foundation
import Sodium
import Testing

/// Test-only stand-ins for commands other engineers are writing (`custodian add`, `unlock approve/execute`), done
/// with the Escrow library directly on the store directory. Swap them for the real commands at merge.
extension StoreCLIFixture {
    /// The identity `NAME.id` unsealed with `NAME.pass`.
    func unlockedIdentity(_ name: String) throws -> CustodianIdentity {
        let path = cli.path("\(name).id")
        let file = try IdentityFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), source: path)
        return try file.unseal(passphrase: try PassphraseFile.read(cli.path("\(name).pass")), allowTestProfile: true)
    }

    /// The public identity of `NAME.id` (no passphrase).
    func publicIdentity(_ name: String) throws -> PublicIdentity {
        let path = cli.path("\(name).id")
        return try IdentityFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), source: path)
            .publicIdentity
    }

    /// A store founded by alice, with `custodians` and `depositors` added in one roster event endorsed by alice
    /// (stand-in for `escrow custodian add`), then re-pinned with `escrow store trust`. With `git`, the store is a
    /// git work tree (made after the roster), so every later command's append is one commit.
    func initStoreWithRoster(
        custodians: [String] = ["bob", "carol", "dave", "erin"],
        depositors: [String] = [],
        git: Bool = false
    ) throws {
        try initStore()
        try newIdentities(custodians + depositors)
        try Sodium.initialize()
        let ledger = try Ledger.open(at: store)
        var records: [MemberRecord] = []
        for name in custodians { records.append(MemberRecord(try publicIdentity(name), role: .custodian)) }
        for name in depositors { records.append(MemberRecord(try publicIdentity(name), role: .depositor)) }
        var change = try ledger.rosterChange(add: records, remove: [], quorum: nil)
        let alice = try unlockedIdentity("alice")
        change.approvals = [try ledger.endorse(change, by: alice)]
        try ledger.append([try ledger.event(.roster, body: change, by: alice, at: EscrowClock.system.now)])
        try succeed(["store", "trust", "--store", store, "--fingerprint", ledger.state.genesis.fingerprint])
        if git {
            for arguments in [["init", "-q"], ["add", "-A"], ["commit", "-qm", "store with roster"]] {
                _ = try self.git(arguments)
            }
        }
    }

    /// Approves `request` by each of `approvers` and executes it as the first (stand-in for `escrow unlock
    /// approve/execute`); returns the open ledger.
    @discardableResult
    func approveAndExecute(_ request: String, approvers: [String]) throws -> Ledger {
        try Sodium.initialize()
        let ledger = try Ledger.open(at: store)
        let id = try EventID(hex: request)
        var random = StreamRandom()
        for name in approvers {
            try ledger.append([
                try ledger.approve(id, by: try unlockedIdentity(name), at: EscrowClock.system.now, random: &random)
            ])
        }
        try ledger.append([try ledger.execute(id, by: try unlockedIdentity(approvers[0]), at: EscrowClock.system.now)])
        return ledger
    }

    /// Creates vault `name` (threshold `threshold` of `custodians`, with `meta`) through the CLI and acknowledges
    /// every custody through the CLI.
    func activeVault(_ name: String, threshold: Int = 2, custodians: [String], meta: [String] = []) throws {
        try succeed(
            ["vault", "init", name, "-t", String(threshold), "--custodians", custodians.joined(separator: ",")]
                + meta.flatMap { ["--meta", $0] } + acting("alice")
        )
        for custodian in custodians { try succeed(["vault", "ack", name, "--yes"] + acting(custodian)) }
    }

    /// Deposits `value` into `vault/entry` from standard input.
    func put(_ value: String, into vault: String, entry: String, as name: String = "alice") throws {
        try succeed(["vault", "put", vault, entry] + acting(name), stdin: Array(value.utf8))
    }

    /// Runs `escrow arguments` on a pseudo-terminal with the fixture's environment, answering each prompt.
    func onTerminal(_ arguments: [String], answering dialogue: [(prompt: String, answer: String)]) throws -> String {
        try cli.runOnTerminal(arguments, answering: dialogue, environment: environment)
    }

    /// Runs `git -C STORE arguments` with the fixture's environment; returns its standard output.
    func git(_ arguments: [String]) throws -> String {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", store] + arguments
        process.environment = environment
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self)
    }

    /// The number of commits in the store's git work tree.
    func commitCount() throws -> Int {
        Int(try git(["rev-list", "--count", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The number of event files in the store.
    func eventCount() throws -> Int {
        let events = URL(fileURLWithPath: store).appendingPathComponent("events")
        guard let walker = FileManager.default.enumerator(atPath: events.path) else { return 0 }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.count
    }

    /// The JSON object a command printed.
    func object(_ result: CLIHarness.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
    }
}
