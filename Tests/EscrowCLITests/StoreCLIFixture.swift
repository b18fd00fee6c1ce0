import Foundation
import Testing

/// A temporary workspace for CLI tests through the real binary: identity files with passphrase files (the cheapest
/// key-derivation profile, tests only), an isolated state directory (trust pins, request keys) and git identity in
/// the environment, and helpers to run commands as a member.
struct StoreCLIFixture {
    let cli: CLIHarness
    /// The store directory.
    var store: String { cli.path("store") }
    /// The environment every command runs with.
    let environment: [String: String]

    static let custodians = ["alice", "bob", "carol", "dave", "erin"]

    init() throws {
        cli = try CLIHarness()
        var environment = ProcessInfo.processInfo.environment
        environment["ESCROW_STATE_DIR"] = cli.path("state")
        environment["ESCROW_STORE"] = nil
        environment["ESCROW_IDENTITY"] = nil
        environment["GIT_AUTHOR_NAME"] = "escrow tests"
        environment["GIT_AUTHOR_EMAIL"] = "tests@example.com"
        environment["GIT_COMMITTER_NAME"] = "escrow tests"
        environment["GIT_COMMITTER_EMAIL"] = "tests@example.com"
        self.environment = environment
        for name in Self.custodians + ["frank", "mallory", "robot", "customer"] {
            try write("correct horse battery staple \(name)\n", to: "\(name).pass")
        }
    }

    func cleanUp() { cli.cleanUp() }

    /// Writes a file private to its owner (mode 0600: passphrase files readable by others draw a warning).
    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: cli.path(name)))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: cli.path(name))
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: cli.path(name))), as: UTF8.self)
    }

    /// `--identity X.id --passphrase-file X.pass --store STORE` for member `name`.
    func acting(_ name: String, store: String? = nil) -> [String] {
        [
            "--identity", cli.path("\(name).id"), "--passphrase-file", cli.path("\(name).pass"), "--store",
            store ?? self.store,
        ]
    }

    /// Runs `escrow arguments` with the fixture's environment (and `extra` variables).
    @discardableResult
    func run(_ arguments: [String], stdin: [UInt8] = [], extra: [String: String] = [:]) throws -> CLIHarness.Result {
        try cli.run(arguments, stdin: stdin, environment: environment.merging(extra) { $1 })
    }

    /// Runs a command that must succeed.
    @discardableResult
    func succeed(
        _ arguments: [String],
        stdin: [UInt8] = [],
        extra: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLIHarness.Result {
        let result = try run(arguments, stdin: stdin, extra: extra)
        #expect(
            result.status == 0,
            "escrow \(arguments.joined(separator: " ")): \(result.stderr)",
            sourceLocation: sourceLocation
        )
        return result
    }

    /// Runs a command that must be refused with one `error:` line containing `fragment` and exit `status`.
    @discardableResult
    func refuse(
        _ arguments: [String],
        _ fragment: String,
        status: Int32 = 1,
        stdin: [UInt8] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLIHarness.Result {
        let result = try run(arguments, stdin: stdin)
        #expect(
            result.status == status,
            "expected \(status), got \(result.status): \(result.stderr)",
            sourceLocation: sourceLocation
        )
        #expect(result.stdout.isEmpty, "stdout: \(result.stdoutText)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning: ") }
        #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("error: ") == true, sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Creates identity files `NAME.id` (passphrase in `NAME.pass`).
    func newIdentities(_ names: [String]) throws {
        for name in names {
            try succeed([
                "custodian", "new", name, "--email", "\(name)@example.com", "--identity", cli.path("\(name).id"),
                "--passphrase-file", cli.path("\(name).pass"), "--kdf", "minimal",
            ])
        }
    }

    /// The public identity line of `NAME.id`.
    func publicLine(_ name: String) throws -> String {
        try succeed(["custodian", "show", "--identity", cli.path("\(name).id")]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new store founded by alice (roster quorum 2).
    func initStore(at path: String? = nil) throws {
        try newIdentities(["alice"])
        try succeed(["init", "--name", "acme-msp", "--roster-quorum", "2"] + acting("alice", store: path))
    }
}
