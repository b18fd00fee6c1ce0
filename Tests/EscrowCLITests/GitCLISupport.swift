import Escrow
import Foundation
import Sodium
import Testing

/// Git collaboration through the real binary: a bare remote and clones in the fixture's scratch directory, each
/// clone read by its own user (its own state directory: pin and high-water mark). What the binary of this branch
/// does not offer yet (vaults, deposits, requests, approvals, executions) is made with the Escrow library on the
/// clone's directory and committed there with git, as a member's `escrow` would.
struct GitCLISupport {
    let fixture: StoreCLIFixture

    /// The bare remote.
    var remote: String { fixture.cli.path("remote.git") }

    /// The work tree of clone `name`.
    ///
    /// - Parameter name: The clone's name.
    /// - Returns: Its path.
    func path(_ name: String) -> String { fixture.cli.path(name) }

    /// The environment of the user working on clone `name` (own state directory).
    ///
    /// - Parameter name: The clone's name.
    /// - Returns: Extra variables.
    func user(_ name: String) -> [String: String] { ["ESCROW_STATE_DIR": fixture.cli.path("state-\(name)")] }

    /// Runs git in `directory`; returns its status and output (stdout and stderr).
    ///
    /// - Parameters:
    ///   - arguments: Git's arguments.
    ///   - directory: The working directory.
    /// - Returns: The status and the output.
    @discardableResult
    func gitRun(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = fixture.environment
        let output = fixture.cli.path(".git-output-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    /// Runs git in `directory`, expecting success.
    ///
    /// - Parameters:
    ///   - arguments: Git's arguments.
    ///   - directory: The working directory.
    /// - Returns: The output.
    @discardableResult
    func git(_ arguments: [String], in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let result = try gitRun(arguments, in: directory)
        #expect(
            result.status == 0,
            "git \(arguments.joined(separator: " ")): \(result.output)",
            sourceLocation: sourceLocation
        )
        return result.output
    }

    /// Runs `escrow arguments --store CLONE` as the user of clone `clone`.
    ///
    /// - Parameters:
    ///   - clone: The clone.
    ///   - arguments: The arguments (without `--store`).
    /// - Returns: The result.
    @discardableResult
    func run(_ clone: String, _ arguments: [String]) throws -> CLIHarness.Result {
        try fixture.run(arguments + ["--store", path(clone)], extra: user(clone))
    }

    /// Like ``run(_:_:)``, expecting exit 0.
    ///
    /// - Parameters:
    ///   - clone: The clone.
    ///   - arguments: The arguments (without `--store`).
    /// - Returns: The result.
    @discardableResult
    func succeed(_ clone: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> CLIHarness.Result
    {
        let result = try run(clone, arguments)
        #expect(
            result.status == 0,
            "escrow \(arguments.joined(separator: " ")) on \(clone): \(result.stderr)",
            sourceLocation: sourceLocation
        )
        return result
    }

    /// `--identity X.id --passphrase-file X.pass` of member `name`.
    ///
    /// - Parameter name: The member.
    /// - Returns: The arguments.
    func signer(_ name: String) -> [String] {
        ["--identity", fixture.cli.path("\(name).id"), "--passphrase-file", fixture.cli.path("\(name).pass")]
    }

    /// `--endorse X.id --passphrase-file X.pass` of member `name`.
    ///
    /// - Parameter name: The endorser.
    /// - Returns: The arguments.
    func endorser(_ name: String) -> [String] {
        ["--endorse", fixture.cli.path("\(name).id"), "--passphrase-file", fixture.cli.path("\(name).pass")]
    }

    /// A bare remote; clone `clones[0]` where alice founds the store (quorum 2) and adds bob and carol with the
    /// binary; the other clones are cloned and pinned by their users.
    ///
    /// - Parameter clones: The clones' names.
    func setUp(clones: [String]) throws {
        try fixture.newIdentities(["alice", "bob", "carol", "dave", "erin"])
        try git(["init", "--quiet", "--bare", remote], in: fixture.cli.directory.path)
        let first = clones[0]
        try git(["clone", "--quiet", remote, path(first)], in: fixture.cli.directory.path)
        try succeed(first, ["init", "--name", "acme-msp", "--roster-quorum", "2"] + signer("alice"))
        try git(["push", "--quiet", "--set-upstream", "origin", "HEAD"], in: path(first))
        try succeed(first, ["custodian", "add", try fixture.publicLine("bob")] + signer("alice"))
        try succeed(first, ["custodian", "add", try fixture.publicLine("carol")] + signer("alice") + endorser("bob"))
        try succeed(first, ["sync"])
        let fingerprint = try #require(
            try jsonObject(try succeed(first, ["store", "show", "--json"]).stdout)["fingerprint"] as? String
        )
        for clone in clones.dropFirst() {
            try git(["clone", "--quiet", remote, path(clone)], in: fixture.cli.directory.path)
            try succeed(clone, ["store", "trust", "--fingerprint", fingerprint])
        }
    }

    /// Member `name`'s identity, unsealed with its test passphrase.
    ///
    /// - Parameter name: The member.
    /// - Returns: The identity.
    func identity(_ name: String) throws -> CustodianIdentity {
        try Sodium.initialize()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.cli.path("\(name).id"))))
        let file = try IdentityFile.decode(bytes, source: "\(name).id")
        return try file.unseal(
            passphrase: SecureBytes(copying: Array("correct horse battery staple \(name)".utf8)),
            allowTestProfile: true
        )
    }

    /// Clone `clone`'s store, opened by the library.
    ///
    /// - Parameter clone: The clone.
    /// - Returns: The ledger.
    func ledger(_ clone: String) throws -> Ledger { try Ledger.open(at: path(clone)) }

    /// Appends events made by the library and commits them in clone `clone`.
    ///
    /// - Parameters:
    ///   - clone: The clone.
    ///   - ledger: Its open ledger.
    ///   - make: Makes each event on the ledger's current state, one after the other.
    func commit(_ clone: String, _ ledger: Ledger, _ message: String, _ make: [() throws -> Event]) throws {
        for step in make {
            let paths = try ledger.append([try step()])
            try git(["add", "--"] + paths, in: path(clone))
        }
        try git(["commit", "--quiet", "-m", "escrow: \(message)"], in: path(clone))
    }

    /// Writes an event file as is (no authority check) and commits it: what a member could push by hand.
    ///
    /// - Parameters:
    ///   - event: The event.
    ///   - clone: The clone.
    func plant(_ event: Event, in clone: String) throws {
        let file = path(clone) + "/" + event.relativePath
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        let bytes = event.bytes.last == 0x0A ? event.bytes : event.bytes + [0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try git(["add", "--", event.relativePath], in: path(clone))
        try git(["commit", "--quiet", "-m", "escrow: \(event.type)"], in: path(clone))
    }

    /// A vault `name`, 2 of alice, bob and carol, whose custody all three acknowledged, made on clone `clone`.
    ///
    /// - Parameters:
    ///   - name: The vault.
    ///   - clone: The clone.
    func createVault(_ name: String, on clone: String) throws {
        let ledger = try ledger(clone)
        let people = try ["alice", "bob", "carol"].map(identity)
        let create = try ledger.createVault(
            named: name,
            metadata: ["account_id": "123456789012"],
            threshold: 2,
            custodians: ["alice", "bob", "carol"],
            by: people[0],
            at: EscrowClock.system.now
        )
        var steps: [() throws -> Event] = [{ create }]
        for person in people {
            steps.append { try ledger.acknowledgeCustody(of: create.id, by: person, at: EscrowClock.system.now) }
        }
        try commit(clone, ledger, "vault \(name)", steps)
    }

    /// A deposit into `vault` by `depositor` on clone `clone`.
    ///
    /// - Parameters:
    ///   - value: The secret.
    ///   - vault: The vault.
    ///   - entry: The entry.
    ///   - depositor: The member.
    ///   - clone: The clone.
    func deposit(_ value: String, into vault: String, entry: String, by depositor: String, on clone: String) throws {
        let ledger = try ledger(clone)
        let person = try identity(depositor)
        var random = StreamRandom()
        try commit(
            clone,
            ledger,
            "deposit \(entry)",
            [
                {
                    try ledger.deposit(
                        SecureBytes(copying: Array(value.utf8)),
                        into: vault,
                        entry: entry,
                        kind: .password,
                        by: person,
                        at: EscrowClock.system.now,
                        random: &random
                    )
                }
            ]
        )
    }

    /// A request by `requester` to close `vault`, approved by `approvers`, on clone `clone`.
    ///
    /// - Parameters:
    ///   - vault: The vault.
    ///   - requester: The requesting custodian.
    ///   - approvers: The approving custodians.
    ///   - clone: The clone.
    /// - Returns: The request event's id.
    @discardableResult
    func approvedClose(_ vault: String, by requester: String, approvers: [String], on clone: String) throws
        -> EventID
    {
        let ledger = try ledger(clone)
        let state = try #require(ledger.state.vault(named: vault))
        let request = try ledger.request(
            .close,
            targets: [RequestTarget(vault: state.reference, generation: state.generation)],
            recipient: nil,
            reason: "customer offboarding",
            expiresAt: UTCTime(secondsSinceEpoch: EscrowClock.system.now.secondsSinceEpoch + 3600),
            by: try identity(requester),
            at: EscrowClock.system.now
        )
        var random = StreamRandom()
        var steps: [() throws -> Event] = [{ request }]
        for approver in approvers {
            let person = try identity(approver)
            steps.append { try ledger.approve(request.id, by: person, at: EscrowClock.system.now, random: &random) }
        }
        try commit(clone, ledger, "request \(request.id.short)", steps)
        return request.id
    }

    /// The execution of `request` by `executor` on clone `clone`.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - executor: The executing custodian.
    ///   - clone: The clone.
    func execute(_ request: EventID, by executor: String, on clone: String) throws {
        let ledger = try ledger(clone)
        let person = try identity(executor)
        try commit(
            clone,
            ledger,
            "execute \(request.short)",
            [
                { try ledger.execute(request, by: person, at: EscrowClock.system.now) }
            ]
        )
    }

    /// The heads clone `clone` reports (`store show --json`).
    ///
    /// - Parameter clone: The clone.
    /// - Returns: The head ids.
    func heads(_ clone: String) throws -> [String] {
        try jsonObject(try succeed(clone, ["store", "show", "--json"]).stdout)["heads"] as? [String] ?? []
    }

    /// The commit clone `clone` is on.
    ///
    /// - Parameter clone: The clone.
    /// - Returns: The commit id.
    func headCommit(_ clone: String) throws -> String {
        try git(["rev-parse", "HEAD"], in: path(clone)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Parses a JSON object printed by a command.
///
/// - Parameter bytes: Standard output.
/// - Returns: The object.
func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}
