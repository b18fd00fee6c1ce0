import Foundation
import Testing

/// A CLI scratch area with passphrase files and helpers shared by the store, custodian, vault, audit and demo tests.
struct StoreCLIFixture {
    let cli: CLIHarness
    var store: String { cli.path("store") }

    init() throws {
        cli = try CLIHarness()
        for name in ["alice", "bob", "carol", "dave", "erin", "mallory"] {
            try write("correct horse battery staple \(name)\n", to: "\(name).pass")
        }
    }

    func cleanUp() { cli.cleanUp() }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: cli.path(name)))
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: cli.path(name))), as: UTF8.self)
    }

    /// `--identity NAME.id --passphrase-file NAME.pass --store STORE`.
    func acting(_ name: String) -> [String] {
        ["--identity", cli.path("\(name).id"), "--passphrase-file", cli.path("\(name).pass"), "--store", store]
    }

    @discardableResult
    func run(_ arguments: [String], stdin: [UInt8] = [], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> CLIHarness.Result
    {
        try cli.run(arguments, stdin: stdin)
    }

    /// Runs a command that must succeed.
    @discardableResult
    func succeed(_ arguments: [String], stdin: [UInt8] = [], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> CLIHarness.Result
    {
        let result = try cli.run(arguments, stdin: stdin)
        #expect(
            result.status == 0,
            "escrow \(arguments.joined(separator: " ")): \(result.stderr)",
            sourceLocation: sourceLocation
        )
        return result
    }

    /// Runs a command that must be refused: exit 1, one `error:` line containing `fragment`, nothing on stdout.
    @discardableResult
    func refuse(
        _ arguments: [String],
        _ fragment: String,
        stdin: [UInt8] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLIHarness.Result {
        let result = try cli.run(arguments, stdin: stdin)
        #expect(
            result.status == 1,
            "expected a refusal, got \(result.status): \(result.stderr)",
            sourceLocation: sourceLocation
        )
        #expect(result.stdout.isEmpty, "stdout: \(result.stdoutText)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("error: ") == true, sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Creates identities (cheap Argon2 limits) for `names`.
    func newIdentities(_ names: [String]) throws {
        for name in names {
            try succeed([
                "custodian", "new", name, "--email", "\(name)@example.com", "--identity", cli.path("\(name).id"),
                "--passphrase-file", cli.path("\(name).pass"), "--kdf", "minimal",
            ])
        }
    }

    /// A store founded by alice with bob, carol, dave and erin in the roster, and optionally vault `acme` (3 of 5).
    func standardStore(withVault: Bool = true) throws {
        let names = ["alice", "bob", "carol", "dave", "erin"]
        try newIdentities(names)
        try succeed(["init"] + acting("alice"))
        for name in names.dropFirst() {
            try succeed(["custodian", "add", cli.path("\(name).id")] + acting("alice"))
        }
        if withVault {
            try succeed(
                [
                    "vault", "init", "acme", "--threshold", "3", "--custodians", names.joined(separator: ","),
                    "--metadata", "account_id=123456789012", "--metadata", "org_role=management",
                ] + acting("alice")
            )
        }
    }

    /// Every file under the store (relative path → bytes).
    func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let root = URL(fileURLWithPath: store)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [:] }
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            result[String(url.path.dropFirst(root.path.count))] = try Data(contentsOf: url)
        }
        return result
    }
}
