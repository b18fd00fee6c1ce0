import Escrow
import Foundation
import Platform
import Sodium
import Testing

@testable import EscrowCLI

/// The security review's hardening findings, through the built binary where a user would meet them.
@Suite struct HardeningCLITests {
    // MARK: Repeated single-value options

    @Test func aSingleValueOptionGivenTwiceIsRefused() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice", "bob"])
        let cases: [([String], String)] = [
            (
                [
                    "init", "--store", fixture.store, "--identity", fixture.cli.path("alice.id"), "--identity",
                    fixture.cli.path("bob.id"), "--passphrase-file", fixture.cli.path("alice.pass"),
                ],
                "--identity is given twice: give it once"
            ),
            (
                ["init", "--store", fixture.store, "--store=/tmp/elsewhere"] + [
                    "--identity", fixture.cli.path("alice.id"),
                ],
                "--store is given twice: give it once"
            ),
            (
                ["vault", "put", "acme", "root", "--kind", "note", "--kind", "password"] + fixture.acting("alice"),
                "--kind is given twice: give it once"
            ),
            (
                ["init"] + fixture.acting("alice") + ["--passphrase-file", fixture.cli.path("bob.pass")],
                "--passphrase-file is given twice: give it once"
            ),
            (["shamir", "split", "-t", "2", "-n", "3", "-t", "3"], "-t is given twice: give it once"),
            (
                ["unlock", "execute", "3fa1c2d4e5f6", "--bundle", "x", "--bundle", "y", "--bundle", "z"],
                "--bundle is given 3 times: give it once"
            ),
        ]
        for (arguments, message) in cases {
            let result = try fixture.cli.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("Error: \(message)\nUsage: "), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.store), "nothing ran")
        // Repeatable options still repeat, and a repeated value after `--` is an argument, not an option.
        try fixture.succeed(["init"] + fixture.acting("alice"))
        try fixture.succeed(["custodian", "add", try fixture.publicLine("bob")] + fixture.acting("alice"))
        try fixture.succeed(
            [
                "vault", "init", "acme", "--threshold", "2", "--custodians", "alice,bob",
                "--meta", "account_id=123456789012", "--meta", "org_role=management",
            ] + fixture.acting("alice")
        )
    }

    @Test func theCheckFindsEveryCommandsSingleValueOptions() {
        // The declared options, read from argument-parser's own description: arrays repeat, the rest do not.
        let put = RepeatedOptions.singleValueOptions(of: VaultPutCommand.self).map(\.spellings)
        #expect(put.contains(["--kind"]) && put.contains(["--identity"]) && put.contains(["--store"]))
        let initVault = RepeatedOptions.singleValueOptions(of: VaultInitCommand.self).map(\.spellings)
        #expect(initVault.contains { $0.contains("--threshold") } && !initVault.contains { $0.contains("--meta") })
        #expect(
            RepeatedOptions.optionCounts(["a", "--x=1", "--x", "2", "-t", "3", "--", "--x"]) == ["--x": 2, "-t": 1]
        )
    }

    // MARK: The test Argon2id profile

    @Test func theTestProfileIsOnlyForTestsAndTheDemo() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        // Outside tests and the demo, custodian new does not offer it.
        let offered = try fixture.cli.run(
            [
                "custodian", "new", "alice", "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("alice.pass"), "--kdf", "minimal",
            ],
            allowTestProfile: false
        )
        #expect(offered.status == 64)
        #expect(offered.stderr.contains("Error: The value 'minimal' is invalid for '--kdf'"), "\(offered.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("alice.id")))
        // An identity sealed with it (here by the test environment) is refused for real use, before any Argon2id.
        try fixture.newIdentities(["alice"])
        let refused = try fixture.cli.run(["init"] + fixture.acting("alice"), allowTestProfile: false)
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "error: the identity of 'alice' is sealed with test-only Argon2 settings (1 pass, 8 KiB) that "
                + "barely protect its passphrase: only 'escrow demo' and tests may use it; create a real identity "
                + "with 'escrow custodian new'\n"
        )
        // custodian passwd may open it to re-seal it with a real profile; then it works everywhere.
        try fixture.write("correct horse battery staple alice again\n", to: "alice2.pass")
        let resealed = try fixture.cli.run(
            [
                "custodian", "passwd", "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("alice.pass"), "--new-passphrase-file", fixture.cli.path("alice2.pass"), "--kdf",
                "interactive",
            ],
            allowTestProfile: false
        )
        #expect(resealed.status == 0, "\(resealed.stderr)")
        let opened = try fixture.cli.run(
            [
                "init", "--store", fixture.store, "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("alice2.pass"),
            ],
            allowTestProfile: false
        )
        #expect(opened.status == 0, "\(opened.stderr)")
    }

    // MARK: Bounded reads

    @Test func inputOverTheLimitIsRefusedWithoutReadingItAll() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault("acme", custodians: ["alice", "bob", "carol"])
        let big = [UInt8](repeating: 0x41, count: EntryInput.maximumLength + 100)
        try Data(big).write(to: URL(fileURLWithPath: fixture.cli.path("big.txt")))
        try fixture.refuse(
            ["vault", "put", "acme", "note", "--kind", "note", "--value-file", fixture.cli.path("big.txt")]
                + fixture.acting("alice"),
            "error: the value for 'acme/note' is larger than 65536 bytes"
        )
        try fixture.refuse(
            ["vault", "put", "acme", "note", "--kind", "note"] + fixture.acting("alice"),
            "error: the value for 'acme/note' is larger than 65536 bytes",
            stdin: big
        )
    }

    @Test func pipeReadsInTheCLIStopOneByteAfterTheLimit() throws {
        let pipe = Pipe()
        let limit = 64 * 1024
        let writer = DispatchQueue(label: "writer")
        writer.async {
            try? pipe.fileHandleForWriting.write(contentsOf: Data(repeating: 0x5A, count: limit + 100))
            try? pipe.fileHandleForWriting.close()
        }
        let fd = pipe.fileHandleForReading.fileDescriptor
        #expect(throws: (any Error).self) {
            do {
                _ = try FileDescriptorIO.readAll(fd, limit: limit, name: "standard input")
            } catch let error as PlatformError {
                #expect(error.message == "standard input is larger than 65536 bytes")
                throw error
            }
        }
        let rest = pipe.fileHandleForReading.readDataToEndOfFile()
        #expect(rest.count == 99)
        writer.sync {}
    }

    // MARK: Opened values on a terminal

    @Test func depositRefusesPlantedEscapeSequences() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault("acme", custodians: ["alice", "bob", "carol"])
        try fixture.refuse(
            ["vault", "put", "acme", "root-password", "--kind", "password"] + fixture.acting("bob"),
            "error: the password for 'root-password' contains control characters (such as ESC), which are not allowed",
            stdin: Array("hunter2\u{1B}]52;c;cm0gLXJmIH4=\u{07}\n".utf8)
        )
        try fixture.refuse(
            ["vault", "put", "acme", "recovery", "--kind", "note"] + fixture.acting("bob"),
            "error: the note for 'recovery' contains control characters other than line breaks and tabs",
            stdin: Array("codes:\n\u{1B}[2J1234\n".utf8)
        )
        try fixture.succeed(
            ["vault", "put", "acme", "recovery", "--kind", "note"] + fixture.acting("bob"),
            stdin: Array("codes:\n\t1234\r\n5678\n".utf8)
        )
    }

    @Test func controlCharactersInOpenedValuesAreEscapedForATerminal() throws {
        let planted = "pw\u{1B}]52;c;cm0gLXJmIH4=\u{07}\u{9B}2J"
        let entries = try [
            OpenedVersion(
                vault: "acme",
                entry: "root-password",
                kind: .password,
                version: [1],
                depositor: "bob",
                depositedAt: #require(UTCTime("2025-01-01T00:00:00Z")),
                metadata: [:],
                value: SecureBytes(copying: Array(planted.utf8)),
                suspects: [],
                refusedApprovals: []
            ),
            OpenedVersion(
                vault: "acme",
                entry: "recovery",
                kind: .note,
                version: [1],
                depositor: "bob",
                depositedAt: #require(UTCTime("2025-01-01T00:00:00Z")),
                metadata: [:],
                value: SecureBytes(copying: Array("line 1\n\tline 2\u{1B}[2J\n".utf8)),
                suspects: [],
                refusedApprovals: []
            ),
        ]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("escrow-print-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func printed(escaping: Bool) throws -> String {
            let url = directory.appendingPathComponent("out-\(escaping)")
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            let printer = EntryPrinter(
                fd: handle.fileDescriptor,
                name: "out",
                showSeed: false,
                now: 0,
                escapesControls: escaping
            )
            try printer.text(entries)
            try handle.close()
            return String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        let shown = try printed(escaping: true)
        #expect(
            shown == "root-password (password, deposited by bob at 2025-01-01T00:00:00Z):\n"
                + "pw\\x1B]52;c;cm0gLXJmIH4=\\x07\\xC2\\x9B2J\n"
                + "  (this value holds control characters, shown above as \\xHH; --json gives it exactly)\n"
                + "recovery (note, deposited by bob at 2025-01-01T00:00:00Z):\nline 1\n\tline 2\\x1B[2J\n"
                + "  (this value holds control characters, shown above as \\xHH; --json gives it exactly)\n"
        )
        #expect(!shown.contains("\u{1B}") && !shown.contains("\u{9B}") && !shown.contains("\u{07}"))
        // Redirected to a file (not a terminal), the bytes stay exact.
        #expect(try printed(escaping: false).contains(planted))
        #expect(EntryPrinter(fd: -1, name: "x", showSeed: false, now: 0).escapesControls == false)
    }
}
