import Foundation
import Testing

/// `escrow init`, store location, and concurrency across processes.
@Suite struct StoreCLITests {
    @Test func initCreatesAStoreOnce() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice"])
        let result = try fixture.succeed(["init"] + fixture.acting("alice") + ["--reason", "team start"])
        #expect(result.stdoutText.hasPrefix("Created store \(fixture.store) (id "))
        #expect(result.stdoutText.contains("Founder: alice <alice@example.com> "))
        let files = Set(try fixture.snapshot().keys)
        #expect(files == ["/.lock", "/store.json", "/roster.json", "/audit.log"])
        try fixture.refuse(["init"] + fixture.acting("alice"), "already exists and is not an empty directory")
    }

    @Test func initWithTheWrongPassphraseCreatesNothing() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice"])
        try fixture.refuse(
            [
                "init", "--store", fixture.store, "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("bob.pass"),
            ],
            "cannot open the identity of 'alice': wrong passphrase, or the file was altered"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.store))
    }

    @Test func storeFromTheEnvironment() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore(withVault: false)
        var environment = ProcessInfo.processInfo.environment
        environment["ESCROW_STORE"] = fixture.store
        let listed = try fixture.cli.run(["custodian", "list"], environment: environment)
        #expect(listed.status == 0)
        #expect(listed.stdoutText.contains("erin"))
        environment["ESCROW_STORE"] = fixture.cli.path("nowhere")
        let missing = try fixture.cli.run(["vault", "list"], environment: environment)
        #expect(missing.status == 1)
        #expect(
            missing.stderr
                == "error: no escrow store at \(fixture.cli.path("nowhere")); run 'escrow init' or pass --store\n"
        )
        let notAStore = try fixture.run(["vault", "list", "--store", fixture.cli.directory.path])
        #expect(notAStore.stderr.contains("is not an escrow store (no store.json)"))
    }

    /// The command tree as issue 5 names it, checked through `--help`.
    @Test func helpListsEveryCommand() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let groups: [([String], [String])] = [
            ([], ["init", "custodian", "vault", "audit", "demo", "shamir"]),
            (["custodian"], ["new", "add", "list", "show", "remove", "passwd"]),
            (["vault"], ["init", "list", "show", "put"]),
            (["audit"], ["show", "verify"]),
        ]
        for (path, subcommands) in groups {
            let help = try cli.run(path + ["--help"])
            #expect(help.status == 0)
            let listed =
                help.stdoutText.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
                .compactMap {
                    $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: " ").first.map(String.init) : nil
                } ?? []
            #expect(Set(subcommands).isSubset(of: Set(listed)), "\(path): \(listed)")
        }
        let put = try cli.run(["vault", "put", "--help"]).stdoutText
        for option in [
            "--kind <kind>", "--generate", "--print", "--in <file>", "--identity <file>", "--passphrase-file <file>",
        ] {
            #expect(put.contains(option))
        }
        // The hidden Argon2 option stays hidden.
        #expect(!(try cli.run(["custodian", "new", "--help"]).stdoutText.contains("--kdf")))
    }

    @Test func identityFromTheEnvironment() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice"])
        var environment = ProcessInfo.processInfo.environment
        environment["ESCROW_IDENTITY"] = nil
        let missing = try fixture.cli.run(
            ["init", "--store", fixture.store, "--passphrase-file", fixture.cli.path("alice.pass")],
            environment: environment
        )
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: no identity given: pass --identity FILE or set ESCROW_IDENTITY\n")
        environment["ESCROW_IDENTITY"] = fixture.cli.path("alice.id")
        let created = try fixture.cli.run(
            ["init", "--store", fixture.store, "--passphrase-file", fixture.cli.path("alice.pass")],
            environment: environment
        )
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdoutText.contains("Founder: alice <alice@example.com>"))
    }

    /// Many processes depositing at once: the lock serialises them, every deposit and record survives.
    @Test func concurrentDepositsFromSeveralProcessesLoseNothing() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore()
        let count = 8
        var processes: [Process] = []
        for index in 0..<count {
            try fixture.write("note number \(index)\n", to: "note\(index).txt")
            let process = Process()
            process.executableURL = fixture.cli.executable
            process.environment = CLIHarness.environment()
            let depositor = ["alice", "bob", "carol", "dave"][index % 4]
            process.arguments =
                [
                    "vault", "put", "acme", "note-\(index)", "--kind", "note", "--in",
                    fixture.cli.path("note\(index).txt"),
                ]
                + fixture.acting(depositor)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            processes.append(process)
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let show = try fixture.succeed(["vault", "show", "acme", "--json", "--store", fixture.store])
        let json = try JSONSerialization.jsonObject(with: Data(show.stdout)) as? [String: Any]
        let entries = (json?["entries"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(Set(entries) == Set((0..<count).map { "note-\($0)" }))
        let verify = try fixture.succeed(["audit", "verify", "--store", fixture.store])
        #expect(verify.stdoutText.contains("Audit log verified: \(6 + count) records"))
    }
}
