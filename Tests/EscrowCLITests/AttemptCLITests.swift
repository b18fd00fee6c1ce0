import Escrow
import Foundation
import Testing

/// The audit entries of `audit show --json` with `arguments`.
private func auditEntries(_ support: UnlockCLISupport, _ arguments: [String]) throws -> [[String: Any]] {
    let fixture = support.fixture
    let result = try fixture.succeed(["audit", "show", "--json", "--store", fixture.store] + arguments)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
    return try #require(object?["entries"] as? [[String: Any]])
}

/// Refused quorum attempts (issue #12): recorded in the member's state directory when refused (the store is not
/// touched), published with the member's next signed command, listed by `audit show`; expired requests listed too.
@Suite("refused attempts and expired requests in the audit, through the binary")
struct AttemptCLITests {
    /// The journal file of the fixture's store.
    private func journal(_ support: UnlockCLISupport) throws -> String {
        let store = try Ledger.open(at: support.fixture.store).state.storeID
        return support.fixture.cli.path("state/attempts/\(Hex.encode(store)).json")
    }

    @Test func refusedOpenAndWrongPassphraseArePublishedWithTheNextOpen() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let id = try support.request(reason: "billing dispute")
        let short = String(id.prefix(12))
        let events = try support.eventCount()
        try fixture.refuse(["unlock", "open", short] + support.acting("alice"), "is not approved yet", status: 2)
        #expect(try support.eventCount() == events)  // nothing in the store
        let recorded = try String(contentsOfFile: try journal(support), encoding: .utf8)
        #expect(recorded.contains("\"command\": \"unlock open\""), "\(recorded)")
        #expect(recorded.contains("\"outcome\": \"refused\""))
        let mode = try FileManager.default.attributesOfItem(atPath: try journal(support))[.posixPermissions]
        #expect((mode as? Int).map { $0 & 0o777 } == 0o600)

        try support.approve(short, by: ["bob", "carol", "dave"])
        try fixture.write("not alice's passphrase at all\n", to: "wrong.pass")
        let wrong = [
            "unlock", "open", short, "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
            fixture.cli.path("wrong.pass"), "--store", fixture.store,
        ]
        try fixture.refuse(wrong, "passphrase")
        #expect(try support.eventCount() == events + 3)  // the three approvals only

        let opened = try fixture.succeed(["unlock", "open", short] + support.acting("alice"))
        #expect(opened.stdoutText.contains(UnlockCLISupport.password))
        #expect(
            opened.stderr.contains(
                "warning: 1 wrong passphrase(s) were typed for your identity since it was last used"
            ),
            "\(opened.stderr)"
        )
        #expect(opened.stderr.contains("published 2 earlier refused attempt(s) to the store's log"))
        #expect(!FileManager.default.fileExists(atPath: try journal(support)))
        #expect(try support.eventCount() == events + 5)  // the execution and the attempt event

        let attempts = try auditEntries(support, ["--action", "attempt"])
        let summaries = attempts.compactMap { $0["summary"] as? String }
        #expect(summaries.count == 2)
        #expect(
            summaries.first?.hasPrefix(
                "unlock open of request \(short) refused: request \(short) is not approved yet (root-password of acme "
            ) == true,
            "\(summaries)"
        )
        #expect(
            summaries.first?.hasSuffix(
                "0 approvals of 3 needed (3 more)): 'escrow unlock status \(short)' shows progress"
            ) == true
        )
        #expect(summaries.last == "wrong passphrase at unlock open of request \(short)")
        #expect(attempts.allSatisfy { $0["actor"] as? String == "alice" && $0["request"] as? String == id })
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func aJournalOthersCanWriteIsNeitherAddedToNorPublished() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let id = try support.request(reason: "billing dispute")
        let short = String(id.prefix(12))
        try fixture.refuse(["unlock", "open", short] + support.acting("alice"), "is not approved yet", status: 2)
        let path = try journal(support)
        let recorded = try String(contentsOfFile: path, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        let events = try support.eventCount()

        // A second refusal is not added to it: one warning line, the refusal itself unchanged.
        let again = try fixture.refuse(
            ["unlock", "open", short] + support.acting("alice"),
            "is not approved yet",
            status: 2
        )
        #expect(again.stderr.contains("is accessible by others (mode 0666)"), "\(again.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == recorded)

        // The next signed command succeeds but publishes nothing, and says why.
        try support.approve(short, by: ["bob", "carol", "dave"])
        let opened = try fixture.succeed(["unlock", "open", short] + support.acting("alice"))
        #expect(opened.stdoutText.contains(UnlockCLISupport.password))
        #expect(
            opened.stderr.contains(
                "your recorded attempts were not published (they stay in your journal): \(path) is "
                    + "accessible by others (mode 0666): its entries are not published under your name; check them, "
                    + "then chmod 600 it"
            ),
            "\(opened.stderr)"
        )
        #expect(!opened.stderr.contains("published 1 earlier"))
        #expect(try support.eventCount() == events + 4)  // three approvals and the execution, no attempt event
        #expect(try auditEntries(support, ["--action", "attempt"]).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == recorded)
    }

    @Test func expiredRequestIsListedAndARefusedApprovalIsPublishedByItsApprover() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let now = Int64(Date().timeIntervalSince1970)
        let lapsed = try support.request(
            .open,
            madeAt: UTCTime(secondsSinceEpoch: now - 7200),
            expiresAt: UTCTime(secondsSinceEpoch: now - 3600)
        )
        let expired = try auditEntries(support, ["--action", "expired"])
        #expect(
            expired.map { $0["summary"] as? String } == [
                "open request \(lapsed.id.short) expired unexecuted with 0 approvals"
            ]
        )
        #expect(expired.first?["time"] as? String == UTCTime(secondsSinceEpoch: now - 3600).description)

        try fixture.refuse(
            ["unlock", "approve", lapsed.id.short, "--yes"] + support.acting("bob"),
            "request \(lapsed.id.short) expired at "
        )
        // Alice's next command does not publish bob's attempt; bob's does.
        let id = try support.request("root-mfa", reason: "mfa reset")
        #expect(try auditEntries(support, ["--action", "attempt"]).isEmpty)
        let approved = try fixture.succeed(["unlock", "approve", id, "--yes"] + support.acting("bob"))
        #expect(approved.stderr.contains("published 1 earlier refused attempt(s)"), "\(approved.stderr)")
        #expect(!approved.stderr.contains("wrong passphrase"))
        let attempts = try auditEntries(support, ["--action", "attempt", "--actor", "bob"])
        #expect(attempts.count == 1)
        let summary = try #require(attempts.first?["summary"] as? String)
        #expect(summary.hasPrefix("unlock approve of request \(lapsed.id.short) refused: request "), "\(summary)")
        #expect(summary.contains("expired at "))
    }

    @Test func aRequestWithoutAReasonIsAUsageErrorBeforeTheStoreIsRead() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        for command in [
            ["vault", "close", "acme"], ["vault", "reopen", "acme"], ["vault", "reshare", "acme", "--remove", "bob"],
        ] {
            let result = try fixture.run(command + ["--store", fixture.cli.path("no-such-store")])
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("--reason is required: approvers and the audit log need to know why"))
            #expect(!result.stderr.contains("no store"))
        }
        let bidi = try fixture.run(
            ["vault", "close", "acme", "--reason", "ok\u{202E}txt", "--store", fixture.cli.path("no-such-store")]
        )
        #expect(bidi.status == 64)
        #expect(bidi.stderr.contains("the reason "), "\(bidi.stderr)")
        // A dry run needs no reason.
        let dry = try fixture.run(
            ["vault", "reshare", "acme", "--remove", "bob", "--dry-run", "--store", fixture.cli.path("no-such-store")]
        )
        #expect(dry.status != 64, "\(dry.stderr)")
    }
}
