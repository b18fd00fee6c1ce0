import Escrow
import Foundation
import Testing

/// `escrow vault put`: typed twice on a terminal, stdin, generated, and batches.
@Suite(.serialized) struct VaultPutCLITests {
    /// Two different values typed at the hidden prompts are refused and nothing is written; matching ones deposit.
    @Test func typedTwiceOnTheTerminal() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault("acme", custodians: ["alice", "bob", "carol"])
        let before = try fixture.eventCount()
        let arguments = ["vault", "put", "acme", "root-password"] + fixture.acting("alice")
        let mismatch = try fixture.onTerminal(
            arguments,
            answering: [
                ("Value for acme/root-password (password): ", "first-value\n"),
                ("Repeat to confirm: ", "other-value\n"),
            ]
        )
        #expect(mismatch.contains("error: the two values typed for acme/root-password differ: nothing was written"))
        #expect(!mismatch.contains("first-value"))
        #expect(try fixture.eventCount() == before)
        let match = try fixture.onTerminal(
            arguments,
            answering: [
                ("Value for acme/root-password (password): ", "same-value\n"), ("Repeat to confirm: ", "same-value\n"),
            ]
        )
        #expect(match.contains("Deposited password acme/root-password, version 1"))
        #expect(!match.contains("same-value"))
        #expect(try fixture.eventCount() == before + 1)
    }

    /// --generate --reveal shows the password once on the terminal; --json never carries it.
    @Test func generatedPasswordRevealedOnTheTerminalOnly() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault("acme", custodians: ["alice", "bob"])
        let shown = try fixture.onTerminal(
            ["vault", "put", "acme", "root-password", "--generate", "--length", "32", "--reveal"]
                + fixture.acting("alice"),
            answering: []
        )
        let marker = "Generated password for acme/root-password (shown once): "
        let range = try #require(shown.range(of: marker))
        let password = shown[range.upperBound...].prefix { $0 != "\n" }
        #expect(password.count == 32)
        let json = try fixture.succeed(
            ["vault", "put", "acme", "console-password", "--generate", "--json"] + fixture.acting("alice")
        )
        let object = try fixture.object(json)
        #expect(object["generated"] as? Bool == true)
        #expect(object["value"] == nil)
        #expect(Set(object.keys) == ["vault", "entry", "kind", "version", "versions", "generated", "event"])
        // An option combination is a usage error, refused by validate() before the store is opened.
        let usage = try fixture.run(["vault", "put", "acme", "x", "--reveal"] + fixture.acting("alice"))
        #expect(usage.status == 64 && usage.stdout.isEmpty)
        #expect(usage.stderr.hasPrefix("Error: --reveal shows a generated password: add --generate\n"))
    }

    /// A password with a control character is refused, naming its position.
    @Test func controlCharactersRefused() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault("acme", custodians: ["alice", "bob"])
        let before = try fixture.eventCount()
        try fixture.refuse(
            ["vault", "put", "acme", "root-password"] + fixture.acting("alice"),
            "the password for 'root-password' contains control characters (such as ESC), which are not allowed",
            stdin: Array("ab\u{1B}[31mcd\n".utf8)
        )
        try fixture.refuse(
            ["vault", "put", "acme", "root-password", "--kind", "note"] + fixture.acting("alice"),
            "the note for 'root-password' is empty",
            stdin: []
        )
        #expect(try fixture.eventCount() == before)
    }

    /// 200 JSON lines across four vaults become one deposit.batch event file (one git commit); audit and vault show
    /// see each credential.
    @Test func batchOfTwoHundred() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(depositors: ["robot"], git: true)
        let vaults = ["acme-prod", "acme-dev", "beta", "gamma"]
        for vault in vaults { try fixture.activeVault(vault, custodians: ["alice", "bob", "carol"]) }
        var lines: [String] = []
        for index in 0..<200 {
            let vault = vaults[index % 4]
            if index == 1 {
                lines.append(
                    "{\"vault\":\"\(vault)\",\"entry\":\"escaped\",\"value\":\"q\\\"\\u00e9\\uD83D\\uDE00\\\\\"}"
                )
            } else if index % 10 == 0 {
                lines.append("{\"vault\":\"\(vault)\",\"entry\":\"gen-\(index)\",\"generate\":true}")
            } else {
                lines.append(
                    "{\"vault\":\"\(vault)\",\"entry\":\"pw-\(index)\",\"kind\":\"password\",\"value\":\"v-\(index)\"}"
                )
            }
        }
        try fixture.write(lines.joined(separator: "\n") + "\n", to: "batch.jsonl")
        let before = try fixture.eventCount()
        let commits = try fixture.commitCount()
        let result = try fixture.succeed(
            ["vault", "put", "--batch", fixture.cli.path("batch.jsonl"), "--json"] + fixture.acting("robot")
        )
        #expect(try fixture.commitCount() == commits + 1)
        let object = try fixture.object(result)
        #expect(object["deposited"] as? Int == 200)
        #expect((object["vaults"] as? [String: Int]) == ["acme-prod": 50, "acme-dev": 50, "beta": 50, "gamma": 50])
        #expect(try fixture.eventCount() == before + 1)
        let events = try #require(object["deposits"] as? [[String: Any]]).compactMap { $0["event"] as? String }
        #expect(events.count == 200)
        #expect(Set(events) == Set(try #require(object["events"] as? [String])))
        #expect(Set(events).count == 1)
        let show = try fixture.object(
            try fixture.succeed(["vault", "show", "gamma", "--json", "--store", fixture.store])
        )
        #expect((show["entries"] as? [Any])?.count == 50)
        let audit = try fixture.object(
            try fixture.succeed(
                ["audit", "show", "--vault", "gamma", "--action", "deposit.batch", "--json"] + [
                    "--store", fixture.store,
                ]
            )
        )
        let entries = try #require(audit["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        let summary = try #require(entries.first?["summary"] as? String)
        #expect(summary.hasPrefix("deposited 200 credential versions in one batch: "))
        for index in 0..<200 where index != 1 {
            let entry = index % 10 == 0 ? "gen-\(index)" : "pw-\(index)"
            #expect(summary.contains("'\(entry)' of '\(vaults[index % 4])'"), "\(entry) missing from the audit")
        }
        #expect(summary.contains("'escaped' of 'acme-dev'"))
    }

    /// More than 1,000 lines are written as atomic deposit.batch events of at most 1,000 deposits each, chained.
    @Test func batchOverAThousandLinesIsSplitIntoChunks() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault("bulk", custodians: ["alice", "bob"])
        let lines = (0..<1_001).map { "{\"vault\":\"bulk\",\"entry\":\"pw-\($0)\",\"value\":\"v-\($0)\"}" }
        try fixture.write(lines.joined(separator: "\n") + "\n", to: "batch.jsonl")
        let before = try fixture.eventCount()
        let result = try fixture.succeed(
            ["vault", "put", "--batch", fixture.cli.path("batch.jsonl"), "--json"] + fixture.acting("alice")
        )
        let object = try fixture.object(result)
        #expect(object["deposited"] as? Int == 1_001)
        let written = try #require(object["events"] as? [String])
        #expect(written.count == 2)
        #expect(try fixture.eventCount() == before + 2)
        let perLine = try #require(object["deposits"] as? [[String: Any]]).compactMap { $0["event"] as? String }
        #expect(perLine.prefix(1_000).allSatisfy { $0 == written[0] })
        #expect(perLine.last == written[1])
        let ledger = try Ledger.open(at: fixture.store)
        #expect(ledger.state.vault(named: "bulk")?.entries.count == 1_001)
        #expect(ledger.state.violations.isEmpty)
    }

    /// `--batch-id`: a re-run of the same file skips the lines this depositor already deposited under the id (a job
    /// killed between chunks is finished by running it again); a tag someone else deposited never counts.
    @Test func batchIDMakesARerunSkipWhatIsAlreadyDeposited() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(depositors: ["robot"])
        try fixture.activeVault("acme-prod", custodians: ["alice", "bob"])
        let lines = (0..<5).map { "{\"vault\":\"acme-prod\",\"entry\":\"pw-\($0)\",\"value\":\"v-\($0)\"}" }
        try fixture.write(lines.joined(separator: "\n") + "\n", to: "all.jsonl")
        try fixture.write(lines.prefix(3).joined(separator: "\n") + "\n", to: "first.jsonl")
        // Someone else deposits line 4's entry with line 4's tag (three blank lines first).
        try fixture.write("\n\n\n" + lines[3] + "\n", to: "forged.jsonl")
        let put = { (file: String, who: String) in
            ["vault", "put", "--batch", fixture.cli.path(file), "--batch-id", "rot-1", "--json"] + fixture.acting(who)
        }
        #expect(try fixture.object(try fixture.succeed(put("first.jsonl", "robot")))["deposited"] as? Int == 3)
        #expect(try fixture.object(try fixture.succeed(put("forged.jsonl", "alice")))["deposited"] as? Int == 1)
        let before = try fixture.eventCount()
        let rerun = try fixture.object(try fixture.succeed(put("all.jsonl", "robot")))
        #expect(rerun["deposited"] as? Int == 2)
        #expect(rerun["skipped"] as? Int == 3)
        #expect(try fixture.eventCount() == before + 1)
        let entries = try #require(Ledger.open(at: fixture.store).state.vault(named: "acme-prod")?.entries)
        #expect(entries.keys.sorted() == (0..<5).map { "pw-\($0)" })
        #expect((0..<5).map { entries["pw-\($0)"]?.count } == [1, 1, 1, 2, 1])
        #expect(entries["pw-3"]?.map { $0.metadata["batch"] } == ["rot-1:4", "rot-1:4"])
        #expect(entries["pw-3"]?.map(\.depositor) == ["alice", "robot"])

        let again = try fixture.succeed(
            ["vault", "put", "--batch", fixture.cli.path("all.jsonl"), "--batch-id", "rot-1"] + fixture.acting("robot")
        )
        #expect(again.stdoutText == "Nothing to deposit: all 5 line(s) of batch 'rot-1' are already in the store.\n")
        #expect(try fixture.eventCount() == before + 1)
        // Another id deposits everything again.
        let other = try fixture.object(
            try fixture.succeed(
                ["vault", "put", "--batch", fixture.cli.path("all.jsonl"), "--batch-id", "rot-2", "--json"]
                    + fixture.acting("robot")
            )
        )
        #expect(other["deposited"] as? Int == 5)
        let usage = [
            (["vault", "put", "acme-prod", "x", "--batch-id", "rot-1"], "--batch-id names a --batch"),
            (["vault", "put", "--batch", "-", "--batch-id", "rot 1"], "--batch-id takes 1 to 64 letters, digits"),
        ]
        for (arguments, message) in usage {
            let result = try fixture.run(arguments + fixture.acting("robot"))
            #expect(result.status == 64 && result.stderr.hasPrefix("Error: \(message)"), "\(result.stderr)")
        }
        #expect(try fixture.eventCount() == before + 2)
    }

    /// A bad line is reported with its number (and the other bad lines), and nothing is written.
    @Test func badBatchLineRefused() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault("acme-prod", custodians: ["alice", "bob"])
        let lines = [
            "{\"vault\":\"acme-prod\",\"entry\":\"a\",\"value\":\"one\"}",
            "",
            "{\"vault\":\"acme-prd\",\"entry\":\"b\",\"value\":\"two\"}",
            "{\"vault\":\"acme-prod\",\"entry\":\"c\",\"value\":\"three\"}",
            "{\"vault\":\"acme-prod\",\"entry\":\"d\",\"kind\":\"totp\",\"generate\":true}",
            "not json",
            "{\"vault\":\"acme-prod\",\"entry\":\"e\",\"value\":\"a\\u0007b\"}",
        ]
        try fixture.write(lines.joined(separator: "\n"), to: "batch.jsonl")
        let before = try fixture.eventCount()
        try fixture.refuse(
            ["vault", "put", "--batch", "-"] + fixture.acting("alice"),
            "batch line 3: no vault named 'acme-prd' in this store (did you mean 'acme-prod'?); other bad lines: 5, 6, 7; "
                + "nothing was written",
            stdin: Array(try fixture.read("batch.jsonl").utf8)
        )
        #expect(try fixture.eventCount() == before)
    }
}
