import Escrow
import Foundation
import Platform
import Sodium
import Testing

/// `escrow unlock request|approve|status|open` end to end: a 3-of-5 vault, exact values printed, every refusal one
/// line naming the culprit with the store byte for byte unchanged (or changed by exactly the failed-attempt record).
@Suite struct UnlockCLITests {
    init() throws { try Sodium.initialize() }

    func fingerprint(_ fixture: StoreCLIFixture, _ name: String) throws -> String {
        try fixture.unlockedIdentity(name).publicIdentity.fingerprint.description
    }

    @Test func threeApprovalsOpenTheEntryAndTwoDoNot() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore()
        let request = try fixture.request("req.json", entries: ["root-password", "root-mfa"])
        let code = try UnlockRequest.decode(try FileSystem.read(request), source: "r").code
        let before = try fixture.snapshot()
        let bob = try fixture.approve(request, by: "bob")
        let carol = try fixture.approve(request, by: "carol")
        #expect(try fixture.snapshot() == before, "approvals do not touch the store")

        let status = try fixture.succeed(["unlock", "status", request, bob, carol, "--store", fixture.store]).stdoutText
        #expect(status.hasPrefix("Request \(code) from alice ("))
        #expect(status.contains("  action:     open root-mfa, root-password of vault 'acme'\n"))
        #expect(status.contains("  reason:     billing dispute, ticket 4711\n"))
        #expect(status.contains("Approved (2 of the 3 needed):\n  bob "))
        #expect(status.hasSuffix("1 more approval needed, from any of alice, dave, erin.\n"))

        try fixture.refuse(
            ["unlock", "open", request, bob, carol] + fixture.acting("alice"),
            "request \(code) has 2 of the 3 approvals vault 'acme' needs: 1 more needed, from any of alice, dave, erin; nothing was opened"
        )
        #expect(try fixture.snapshot() == before)

        let dave = try fixture.approve(request, by: "dave")
        let ready = try fixture.succeed(["unlock", "status", request, bob, carol, dave, "--store", fixture.store])
        #expect(ready.stdoutText.hasSuffix("Ready: alice can run 'escrow unlock open' with these approvals.\n"))
        let opened = try fixture.succeed(["unlock", "open", request, bob, carol, dave] + fixture.acting("alice"))
        let text = opened.stdoutText
        #expect(
            text.hasPrefix(
                "Opened 2 entries of vault 'acme' (request \(code), approved by bob, carol, dave); audit record 9.\n"
            )
        )
        #expect(text.contains("\nroot-password (password, version 1):\n\(StoreCLIFixture.password)\n"))
        let totpLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("root-mfa (totp") })
        #expect(totpLine.hasPrefix("root-mfa (totp, version 1, SHA1, 6 digits, every 30 s): "))
        #expect(
            totpLine.wholeMatch(of: /root-mfa \(totp, version 1, SHA1, 6 digits, every 30 s\): \d{6} \(\d{1,2}s left\)/)
                != nil
        )
        #expect(!text.contains(StoreCLIFixture.seed), "the seed is shown only with --show-seed")

        let record = try #require(try fixture.auditLines().last)
        #expect(record.contains("\"action\":\"unlock.open\""))
        #expect(record.contains("\"approvers\":\"bob,carol,dave\""))
        #expect(record.contains("\"reason\":\"billing dispute, ticket 4711\""))

        // The same request (and approval set) opens nothing a second time.
        let afterOpen = try fixture.snapshot()
        try fixture.refuse(
            ["unlock", "open", request, bob, carol, dave] + fixture.acting("alice"),
            "request \(code) was already executed (audit record 9"
        )
        #expect(try fixture.snapshot() == afterOpen)
        let verified = try fixture.succeed(["audit", "verify", "--store", fixture.store])
        #expect(verified.stdoutText.hasPrefix("Audit log verified: 9 records"))
    }

    @Test func jsonAndSeedOutput() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore()
        let request = try fixture.request("req.json", entries: ["root-password", "root-mfa"])
        let approvals = try ["alice", "erin", "bob"].map { try fixture.approve(request, by: $0) }
        let result = try fixture.succeed(
            ["unlock", "open", request] + approvals + fixture.acting("alice") + ["--json", "--show-seed"]
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(object["vault"] as? String == "acme")
        #expect(object["approvers"] as? [String] == ["alice", "erin", "bob"])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.map { $0["name"] as? String } == ["root-mfa", "root-password"])
        #expect(entries[1]["value"] as? String == StoreCLIFixture.password)
        #expect(entries[0]["seed"] as? String == StoreCLIFixture.seed)
        #expect((entries[0]["code"] as? String)?.count == 6)
        #expect((entries[0]["metadata"] as? [String: String])?["issuer"] == "AWS")
    }

    @Test func refusalsNameTheCulpritAndChangeNothing() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore(withMallory: true)
        let request = try fixture.request("req.json")
        let other = try fixture.request("other.json", entries: ["root-mfa"], by: "bob")
        let code = try UnlockRequest.decode(try FileSystem.read(request), source: "r").code
        let otherCode = try UnlockRequest.decode(try FileSystem.read(other), source: "r").code
        let bob = try fixture.approve(request, by: "bob")
        let carol = try fixture.approve(request, by: "carol")
        let dave = try fixture.approve(request, by: "dave")
        let erinOther = try fixture.approve(other, by: "erin", as: "erin-other.approval")
        try FileManager.default.copyItem(atPath: bob, toPath: fixture.cli.path("bob-copy.approval"))
        let mallory = try fixture.forgeApproval(
            for: request,
            by: "mallory",
            x: 6,
            share: SecureBytes.random(count: 32),
            to: "mallory.approval"
        )
        // A flipped byte in bob's encrypted share: his signature no longer covers the file.
        let tampered = fixture.cli.path("bob-tampered.approval")
        var json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bob))) as? [String: Any]
        )
        var shares = try #require(json["shares"] as? [[String: Any]])
        let sealedText = try #require(shares[0]["sealed_share"] as? String)
        var sealed = try #require(Base64URL.decode(sealedText))
        sealed[40] ^= 0x01
        shares[0]["sealed_share"] = Base64URL.encode(sealed)
        json["shares"] = shares
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(
            to: URL(fileURLWithPath: tampered)
        )

        // A request dated two days ago, with a one-hour lifetime, signed by alice.
        let past = try Store.open(
            at: fixture.store,
            clock: .fixed(UTCTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) - 2 * 86_400))
        )
        let expiredRequest = try past.makeRequest(
            .open(vault: "acme", entries: ["root-password"], reason: "old request"),
            by: try fixture.unlockedIdentity("alice"),
            lifetime: 3600
        )
        let expired = fixture.cli.path("expired.json")
        try Data(try expiredRequest.encoded()).write(to: URL(fileURLWithPath: expired))

        let before = try fixture.snapshot()
        let open = ["unlock", "open"]
        let alice = fixture.acting("alice")
        try fixture.refuse(
            open + [request, bob, carol, erinOther] + alice,
            "\(erinOther): erin (\(try fingerprint(fixture, "erin"))) approved request \(otherCode), not this request \(code)"
        )
        try fixture.refuse(
            open + [request, bob, carol, fixture.cli.path("bob-copy.approval")] + alice,
            "\(fixture.cli.path("bob-copy.approval")): bob (\(try fingerprint(fixture, "bob"))) already approved in \(bob): each custodian counts once"
        )
        try fixture.refuse(
            open + [request, bob, bob, carol] + alice,
            "already approved in \(bob): each custodian counts once"
        )
        try fixture.refuse(
            open + [request, bob, carol, mallory] + alice,
            "\(mallory): mallory (\(try fingerprint(fixture, "mallory"))) is not a custodian of vault 'acme' (generation 1)"
        )
        try fixture.refuse(
            open + [request, tampered, carol, dave] + alice,
            "\(tampered): the signature of bob (\(try fingerprint(fixture, "bob"))) does not verify: the approval was altered"
        )
        let expiredCode = expiredRequest.code
        try fixture.refuse(
            open + [expired, bob, carol, dave] + alice,
            "request \(expiredCode) expired at \(expiredRequest.expiresAt): make a new request"
        )
        try fixture.refuse(
            ["unlock", "approve", expired, "--yes"] + fixture.acting("erin"),
            "request \(expiredCode) expired at"
        )
        // Only the requester's identity opens the approvals.
        try fixture.refuse(
            open + [request, bob, carol, dave] + fixture.acting("bob"),
            "request \(code) was made by alice"
        )
        // A non-custodian cannot approve; without a terminal and without --yes nobody approves.
        try fixture.refuse(
            ["unlock", "approve", request, "--yes", "--out", fixture.cli.path("m.approval")]
                + fixture.acting("mallory"),
            "mallory (\(try fingerprint(fixture, "mallory"))) is not a custodian of vault 'acme' (generation 1): only alice, bob, carol, dave, erin can approve"
        )
        try fixture.refuse(
            ["unlock", "approve", request, "--out", fixture.cli.path("e.approval")] + fixture.acting("erin"),
            "not a terminal: pass --yes to approve without the question (nothing was written)"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("e.approval")))
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("m.approval")))
        // A request edited by hand.
        let edited = fixture.cli.path("edited.json")
        try fixture.write(
            try fixture.read("req.json").replacingOccurrences(of: "ticket 4711", with: "ticket 4712"),
            to: "edited.json"
        )
        try fixture.refuse(open + [edited, bob, carol, dave] + alice, "\(edited): the signature of alice (")
        #expect(try fixture.snapshot() == before)

        // Status lists what does not count, and why, without failing.
        let status = try fixture.succeed(
            ["unlock", "status", request, bob, carol, erinOther, mallory, tampered, "--store", fixture.store]
        ).stdoutText
        #expect(status.contains("Not counted:\n"))
        #expect(status.contains("  \(erinOther): erin ("))
        #expect(status.contains("  \(mallory): mallory ("))
        #expect(status.contains("  \(tampered): \(tampered): the signature of bob"))
        #expect(status.hasSuffix("1 more approval needed, from any of alice, dave, erin.\n"))
        let expiredStatus = try fixture.succeed(["unlock", "status", expired, bob, "--store", fixture.store]).stdoutText
        #expect(expiredStatus.contains("Blocked: request \(expiredCode) expired at"))
        #expect(expiredStatus.contains("  \(bob): bob ("), "bob approved another request")
        #expect(try fixture.snapshot() == before)
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func aBadShareNamesItsCustodianAndLeavesOneRecord() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore()
        let request = try fixture.request("req.json")
        let carol = try fixture.approve(request, by: "carol")
        let dave = try fixture.approve(request, by: "dave")
        // Bob signs an approval whose share is not his: his digest gives him away.
        let bob = try fixture.forgeApproval(
            for: request,
            by: "bob",
            x: 2,
            share: SecureBytes.random(count: 32),
            to: "bob.approval"
        )
        let before = try fixture.storeWithoutAudit()
        let linesBefore = try fixture.auditLines()
        try fixture.refuse(
            ["unlock", "open", request, carol, dave, bob] + fixture.acting("alice"),
            "the share of bob (\(try fingerprint(fixture, "bob"))) is bad: it does not match its recorded digest (a wrong share, or one of another vault or generation), in \(bob); 2 good shares of the 3 vault 'acme' needs: nothing was opened"
        )
        let after = try fixture.storeWithoutAudit()
        #expect(after.files == before.files, "only the audit log changed")
        let lines = try fixture.auditLines()
        #expect(lines.count == linesBefore.count + 1)
        #expect(Array(lines.prefix(linesBefore.count)) == linesBefore)
        let failed = try #require(lines.last)
        #expect(failed.contains("\"action\":\"unlock.failed\""))
        #expect(failed.contains("\"bad_shares\":\"bob:\(try fingerprint(fixture, "bob"))\""))
        try fixture.succeed(["audit", "verify", "--store", fixture.store])

        // With a fourth, good approval the bad one is not needed: the entry opens, with a warning naming bob.
        let erin = try fixture.approve(request, by: "erin")
        let opened = try fixture.succeed(["unlock", "open", request, carol, dave, bob, erin] + fixture.acting("alice"))
        #expect(opened.stdoutText.contains("\(StoreCLIFixture.password)\n"))
        #expect(opened.stderr.hasPrefix("warning: a bad share was not needed: bob ("))
    }

    @Test func aShareFromAnOlderGenerationIsRefused() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore(withMallory: true)
        let oldVault = try Store.open(at: fixture.store).vault(named: "acme")
        let stale = try fixture.request("stale.json")
        let staleCode = try UnlockRequest.decode(try FileSystem.read(stale), source: "r").code
        let staleApprovals = try ["bob", "carol", "dave"].map {
            try fixture.approve(stale, by: $0, as: "\($0)-stale.approval")
        }

        // Re-split to carol, dave, mallory (2 of 3), approved by the current custodians.
        let reshare = fixture.cli.path("reshare.json")
        try fixture.succeed(
            [
                "vault", "reshare", "acme", "--threshold", "2", "--custodians", "carol,dave,mallory", "--reason",
                "bob leaves",
            ] + fixture.acting("alice") + ["--out", reshare]
        )
        try fixture.refuse(
            ["custodian", "remove", "bob"] + fixture.acting("alice"),
            "still holds shares of vault acme"
        )
        let resharing = try ["alice", "bob", "erin"].map {
            try fixture.approve(reshare, by: $0, as: "\($0)-reshare.approval")
        }
        let reshared = try fixture.succeed(["unlock", "open", reshare] + resharing + fixture.acting("alice"))
        #expect(
            reshared.stdoutText.contains(
                "Vault 'acme' re-split to 2 of 3 (carol, dave, mallory), generation 2 (request "
            )
        )
        #expect(reshared.stdoutText.contains("the shares of generation 1 no longer count"))
        let shown = try fixture.succeed(["vault", "show", "acme", "--store", fixture.store]).stdoutText
        #expect(shown.contains("Generation:   2\n"))
        #expect(shown.contains("Policy:       2 of 3 custodians\n"))

        let before = try fixture.snapshot()
        try fixture.refuse(
            ["unlock", "open", stale] + staleApprovals + fixture.acting("alice"),
            "request \(staleCode) was made for generation 1 of vault 'acme', which was re-split since (now generation 2): make a new request"
        )
        // The old set cannot approve any more; the new set opens.
        let fresh = try fixture.request("fresh.json")
        try fixture.refuse(
            ["unlock", "approve", fresh, "--yes"] + fixture.acting("bob"),
            "is not a custodian of vault 'acme' (generation 2)"
        )
        // Carol's generation-1 share, relabelled generation 2, fails its digest: she is named.
        let oldShare = try oldVault.shares.envelopes[2].open(
            with: try fixture.unlockedIdentity("carol"),
            shareSet: oldVault.shares,
            vaultID: oldVault.id.bytes,
            generation: 1
        )
        let replayed = try fixture.forgeApproval(
            for: fresh,
            by: "carol",
            x: 1,
            share: oldShare,
            to: "carol-old.approval"
        )
        let mallory = try fixture.approve(fresh, by: "mallory")
        try fixture.refuse(
            ["unlock", "open", fresh, replayed, mallory] + fixture.acting("alice"),
            "the share of carol (\(try fingerprint(fixture, "carol"))) is bad"
        )
        #expect(try fixture.auditLines().last?.contains("\"action\":\"unlock.failed\"") == true)
        let carol = try fixture.approve(fresh, by: "carol")
        let opened = try fixture.succeed(["unlock", "open", fresh, carol, mallory] + fixture.acting("alice"))
        #expect(opened.stdoutText.contains("root-password (password, version 1):\n\(StoreCLIFixture.password)\n"))
        #expect(try fixture.snapshot().keys == before.keys)
        // Bob holds no share any more: he can now leave the roster.
        try fixture.succeed(["custodian", "remove", "bob"] + fixture.acting("alice"))
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func ttlAndUsageErrors() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore()
        let before = try fixture.snapshot()
        let base = ["unlock", "request", "acme", "--reason", "r"] + fixture.acting("alice")
        try fixture.refuse(base, "name the entries to open with --entry")
        try fixture.refuse(
            base + ["--entry", "nope"],
            "vault 'acme' has no entry 'nope' (entries: root-mfa, root-password)"
        )
        try fixture.refuse(base + ["--entry", "root-mfa", "--ttl", "8d"], "--ttl '8d' is outside 1m...7d")
        try fixture.refuse(base + ["--entry", "root-mfa", "--ttl", "soon"], "--ttl 'soon' must be a number and a unit")
        try fixture.refuse(base + ["--entry", "root-mfa", "--force"], "--force needs --force-reason TEXT")
        try fixture.refuse(
            base + ["--entry", "root-mfa", "--force", "--force-reason", "x"],
            "vault 'acme' is active: --force is only for closed vaults"
        )
        try fixture.refuse(
            ["unlock", "request", "nowhere", "--entry", "x", "--reason", "r"] + fixture.acting("alice"),
            "vault 'nowhere' does not exist"
        )
        #expect(try fixture.snapshot() == before)
        let week = try fixture.request("week.json", extra: ["--ttl", "7d"])
        let parsed = try UnlockRequest.decode(try FileSystem.read(week), source: "w")
        #expect(parsed.expiresAt.secondsSinceEpoch - parsed.createdAt.secondsSinceEpoch == 7 * 86_400)
        // Without --out the request goes to standard output and the narration to standard error.
        let printed = try fixture.succeed(base + ["--entry", "root-mfa"])
        #expect(try UnlockRequest.decode(printed.stdout, source: "stdout").action == .open)
        #expect(printed.stderr.hasPrefix("Request "))
        #expect(try fixture.snapshot() == before)
    }
}
