import Foundation
import Sodium
import Testing

@testable import Escrow

/// The quorum unlock through the library: requests, approvals, evaluation, execution, refusals, ceremony, release,
/// close, reshare. Every refusal is checked by its error code, its message (naming the culprit) and the store's bytes.
@Suite struct UnlockTests {
    init() throws { try Sodium.initialize() }

    static let password = "Tr0ub4dor&3-correct-horse-battery"

    /// The standard fixture plus a password and a TOTP seed in `acme`.
    func fixture() throws -> Fixture {
        let fixture = try Fixture()
        _ = try fixture.store.deposit(
            into: "acme",
            entry: "root-password",
            kind: .password,
            prepared: try EntryInput.prepare(secure(Self.password + "\n"), kind: .password, entryName: "root-password"),
            by: fixture.custodians[1]
        )
        _ = try fixture.store.deposit(
            into: "acme",
            entry: "root-mfa",
            kind: .totp,
            prepared: try EntryInput.prepare(
                secure("otpauth://totp/AWS:root?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=AWS"),
                kind: .totp,
                entryName: "root-mfa"
            ),
            by: fixture.custodians[2]
        )
        return fixture
    }

    func request(_ fixture: Fixture, _ intent: UnlockIntent? = nil, lifetime: Int64 = 86_400) throws -> UnlockRequest {
        try fixture.store.makeRequest(
            intent ?? .open(vault: "acme", entries: ["root-password"], reason: "billing dispute, ticket 4711"),
            by: fixture.alice,
            lifetime: lifetime
        )
    }

    func approvals(_ fixture: Fixture, _ request: UnlockRequest, _ indices: [Int]) throws -> [ApprovalFile] {
        try indices.map { index in
            let custodian = fixture.custodians[index]
            return ApprovalFile(
                source: "\(custodian.publicIdentity.name).approval",
                approval: try fixture.store.approve(request, by: custodian)
            )
        }
    }

    func open(_ fixture: Fixture, _ request: UnlockRequest, _ approvals: [ApprovalFile]) throws -> UnlockOutcome {
        var rng = StreamRandom()
        return try fixture.store.executeRequest(request, approvals: approvals, requester: fixture.alice, using: &rng)
    }

    func openedEntries(_ outcome: UnlockOutcome) -> [OpenedEntry] {
        if case .opened(let entries) = outcome.result { return entries }
        Issue.record("expected opened entries")
        return []
    }

    /// A validly signed approval carrying an arbitrary share: what a malicious (or broken) custodian could send.
    func forgedApproval(
        _ request: UnlockRequest,
        by custodian: CustodianIdentity,
        x: UInt8,
        share: SecureBytes,
        generation: Int64? = nil
    ) throws -> UnlockApproval {
        var target = try request.singleTarget()
        if let generation { target.generation = generation }
        return try UnlockApproval.seal(
            [UnlockApproval.Contribution(target: target, x: x, share: share)],
            for: request,
            by: custodian,
            at: UTCTime(secondsSinceEpoch: request.createdAt.secondsSinceEpoch + 10)
        )
    }

    @Test func threeApprovalsOpenTheEntryOnce() throws {
        let fixture = try fixture()
        let request = try request(fixture)
        #expect(request.code.count == 9)
        #expect(Hex.encode(request.hash).uppercased().hasPrefix(request.code.replacingOccurrences(of: "-", with: "")))
        let before = try snapshot(fixture.root)
        let given = try approvals(fixture, request, [1, 2, 3])
        #expect(try snapshot(fixture.root) == before, "requests and approvals never touch the store")
        let report = try fixture.store.quorumReport(for: request, approvals: given)
        #expect(report.isReady)
        #expect(report.counted.map(\.custodian.name) == ["bob", "carol", "dave"])
        #expect(report.remaining.map(\.name) == ["alice", "erin"])

        let outcome = try open(fixture, request, given)
        let entries = openedEntries(outcome)
        #expect(entries.map(\.name) == ["root-password"])
        #expect(entries.first.map { string($0.value) } == Self.password)
        #expect(outcome.badShares.isEmpty)
        #expect(outcome.record.action == .unlockOpen)
        #expect(outcome.record.actor == fixture.alice.publicIdentity.fingerprint)
        #expect(outcome.record.reason == "billing dispute, ticket 4711")
        #expect(outcome.record.details["request_id"] == request.id.description)
        #expect(outcome.record.details["request_hash"] == Hex.encode(request.hash))
        #expect(outcome.record.details["approvers"] == "bob,carol,dave")
        #expect(outcome.record.details["entries"] == "root-password")
        #expect(outcome.record.details["mode"] == "quorum")
        #expect(outcome.record.files.isEmpty)

        // The same request with the same approvals opens nothing a second time.
        let afterOpen = try snapshot(fixture.root)
        let replay = expectEscrowError(.alreadyUsed) { _ = try open(fixture, request, given) }
        #expect(replay?.message.contains("request \(request.code) was already executed (audit record") == true)
        expectEscrowError(.alreadyUsed) { _ = try fixture.store.approve(request, by: fixture.custodians[4]) }
        #expect(try snapshot(fixture.root) == afterOpen)
        #expect(try fixture.store.verifyAudit().recordCount == outcome.record.seq)
    }

    @Test func twoApprovalsOpenNothingAndSayWhoIsMissing() throws {
        let fixture = try fixture()
        let request = try request(fixture)
        let given = try approvals(fixture, request, [1, 2])
        let report = try fixture.store.quorumReport(for: request, approvals: given)
        #expect(report.missing == 1)
        #expect(!report.isReady)
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.quorumNotMet) { _ = try open(fixture, request, given) }
        #expect(
            error?.message
                == "request \(request.code) has 2 of the 3 approvals vault 'acme' needs: 1 more needed, from any of alice, dave, erin; nothing was opened"
        )
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func refusedApprovalsNameTheirFile() throws {
        let fixture = try fixture()
        let request = try request(fixture)
        let other = try self.request(
            fixture,
            .open(vault: "acme", entries: ["root-mfa"], reason: "another request")
        )
        let good = try approvals(fixture, request, [1, 2, 3])
        let foreign = try approvals(fixture, other, [4])[0]
        let mallory = try identity("mallory")
        try fixture.store.addCustodian(mallory.publicIdentity, by: fixture.alice)
        let before = try snapshot(fixture.root)

        let cases: [([ApprovalFile], EscrowError.Code, String)] = [
            (
                good + [ApprovalFile(source: "erin.approval", approval: foreign.approval)], .conflict,
                "erin.approval: erin (\(fixture.custodians[4].publicIdentity.fingerprint)) approved request \(other.code), not this request \(request.code)"
            ),
            (
                [good[0], good[1], ApprovalFile(source: "bob-again.approval", approval: good[0].approval)], .conflict,
                "bob-again.approval: bob (\(fixture.custodians[1].publicIdentity.fingerprint)) already approved in bob.approval: each custodian counts once"
            ),
            (
                good
                    + [
                        ApprovalFile(
                            source: "mallory.approval",
                            approval: try forgedApproval(
                                request,
                                by: mallory,
                                x: 6,
                                share: SecureBytes.random(count: 32)
                            )
                        )
                    ], .notAuthorized,
                "mallory.approval: mallory (\(mallory.publicIdentity.fingerprint)) is not a custodian of vault 'acme' (generation 1)"
            ),
        ]
        for (given, code, message) in cases {
            let error = expectEscrowError(code) { _ = try open(fixture, request, given) }
            #expect(error?.message == message)
            let report = try fixture.store.quorumReport(for: request, approvals: given)
            #expect(report.notCounted.count == 1)
        }
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func expiredRequestsAreRefused() throws {
        let fixture = try fixture()
        let request = try request(fixture, lifetime: 60)
        let given = try approvals(fixture, request, [1, 2, 3])
        let later = try Store.open(
            at: fixture.root,
            clock: .fixed(UTCTime(secondsSinceEpoch: request.expiresAt.secondsSinceEpoch + 1))
        )
        let before = try snapshot(fixture.root)
        var rng = StreamRandom()
        let error = expectEscrowError(.expired) {
            _ = try later.executeRequest(request, approvals: given, requester: fixture.alice, using: &rng)
        }
        #expect(error?.message == "request \(request.code) expired at \(request.expiresAt): make a new request")
        expectEscrowError(.expired) { _ = try later.approve(request, by: fixture.custodians[4]) }
        #expect(try snapshot(fixture.root) == before)
        expectEscrowError(.invalidInput) { _ = try self.request(fixture, lifetime: 8 * 86_400) }
        expectEscrowError(.invalidInput) { _ = try self.request(fixture, lifetime: 59) }
    }

    @Test func aBadShareIsNamedAndRecorded() throws {
        let fixture = try fixture()
        let request = try request(fixture)
        let bob = fixture.custodians[1]
        let given =
            try approvals(fixture, request, [2, 3])
            + [
                ApprovalFile(
                    source: "bob.approval",
                    approval: try forgedApproval(request, by: bob, x: 2, share: SecureBytes.random(count: 32))
                )
            ]
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.badShare) { _ = try open(fixture, request, given) }
        #expect(
            error?.message
                == "the share of bob (\(bob.publicIdentity.fingerprint)) is bad: it does not match its recorded digest (a wrong share, or one of another vault or generation), in bob.approval; 2 good shares of the 3 vault 'acme' needs: nothing was opened"
        )
        // Only the audit log changed, by exactly one failed-attempt record.
        let after = try snapshot(fixture.root)
        #expect(after.keys == before.keys)
        for (path, bytes) in before where path != "audit.log" { #expect(after[path] == bytes, "\(path) changed") }
        let beforeLog = before["audit.log"] ?? []
        let afterLog = after["audit.log"] ?? []
        #expect(Array(afterLog.prefix(beforeLog.count)) == beforeLog)
        let added = Array(afterLog.dropFirst(beforeLog.count).dropLast())
        #expect(!added.contains(UInt8(ascii: "\n")), "exactly one record")
        let record = try AuditRecord.parse(added, lineNumber: nil)
        #expect(record.action == .unlockFailed)
        #expect(record.details["bad_shares"] == "bob:\(bob.publicIdentity.fingerprint)")
        #expect(record.details["request_id"] == request.id.description)
        // The request was not executed: with a good approval from bob it opens.
        let outcome = try open(fixture, request, try approvals(fixture, request, [1, 2, 3]))
        #expect(openedEntries(outcome).first.map { string($0.value) } == Self.password)
        _ = try fixture.store.verifyAudit()
    }

    @Test func aBadShareBeyondTheQuorumIsNamedButNotNeeded() throws {
        let fixture = try fixture()
        let request = try request(fixture)
        let bob = fixture.custodians[1]
        let given =
            try approvals(fixture, request, [0, 2, 3])
            + [
                ApprovalFile(
                    source: "bob.approval",
                    approval: try forgedApproval(request, by: bob, x: 2, share: SecureBytes.random(count: 32))
                )
            ]
        let outcome = try open(fixture, request, given)
        #expect(openedEntries(outcome).first.map { string($0.value) } == Self.password)
        #expect(outcome.badShares.count == 1)
        #expect(
            outcome.badShares.first?.hasPrefix("bob (\(bob.publicIdentity.fingerprint)): it does not match") == true
        )
        #expect(outcome.record.details["bad_shares"] == "bob:\(bob.publicIdentity.fingerprint)")
        #expect(outcome.record.details["approvers"] == "alice,carol,dave")
    }

    @Test func reshareMovesTheVaultToANewGenerationAndCustodianSet() throws {
        let fixture = try fixture()
        let mallory = try identity("mallory")
        try fixture.store.addCustodian(mallory.publicIdentity, by: fixture.alice)
        let stale = try request(fixture)
        let staleApprovals = try approvals(fixture, stale, [1, 2, 3])
        let oldVault = try fixture.store.vault(named: "acme")

        let reshare = try request(
            fixture,
            .reshare(vault: "acme", threshold: 2, custodians: ["carol", "dave", "mallory"], reason: "bob leaves")
        )
        #expect(try reshare.singleTarget().newPolicy?.custodians.map(\.x) == [1, 2, 3])
        let outcome = try open(fixture, reshare, try approvals(fixture, reshare, [0, 1, 4]))
        #expect(outcome.vault.generation == 2)
        #expect(outcome.vault.policy.summary == "2 of 3")
        #expect(outcome.vault.publicKey == oldVault.publicKey)
        #expect(outcome.vault.shares.envelopes.map(\.custodian) == ["carol", "dave", "mallory"])
        #expect(outcome.record.action == .vaultReshare)
        #expect(outcome.record.details["new_generation"] == "2")
        let reloaded = try fixture.store.vault(named: "acme")
        #expect(reloaded.generation == 2)
        #expect(reloaded.entries == oldVault.entries)

        // The request made for generation 1 is refused, and says why.
        let error = expectEscrowError(.conflict) { _ = try open(fixture, stale, staleApprovals) }
        #expect(
            error?.message
                == "request \(stale.code) was made for generation 1 of vault 'acme', which was re-split since (now generation 2): make a new request"
        )
        // The old set cannot approve a new request; the new set can open.
        let fresh = try request(fixture)
        let notCustodian = expectEscrowError(.notAuthorized) {
            _ = try fixture.store.approve(fresh, by: fixture.custodians[1])
        }
        #expect(notCustodian?.message.contains("bob") == true)
        #expect(notCustodian?.message.contains("is not a custodian of vault 'acme' (generation 2)") == true)
        let bobShare = try oldVault.shares.envelopes[1].open(
            with: fixture.custodians[1],
            shareSet: oldVault.shares,
            vaultID: oldVault.id.bytes,
            generation: 1
        )
        let oldSetApproval = ApprovalFile(
            source: "bob.approval",
            approval: try forgedApproval(fresh, by: fixture.custodians[1], x: 2, share: bobShare)
        )
        expectEscrowError(.notAuthorized) {
            _ = try open(fixture, fresh, try approvals(fixture, fresh, [2]) + [oldSetApproval])
        }
        let opened = try open(
            fixture,
            fresh,
            try approvals(fixture, fresh, [2]) + [
                ApprovalFile(source: "mallory.approval", approval: try fixture.store.approve(fresh, by: mallory))
            ]
        )
        #expect(openedEntries(opened).first.map { string($0.value) } == Self.password)
        #expect(opened.record.details["generation"] == "2")
        _ = try fixture.store.verifyAudit()
    }

    @Test func aShareFromAnOlderGenerationIsNamed() throws {
        let fixture = try fixture()
        let oldVault = try fixture.store.vault(named: "acme")
        let reshare = try request(
            fixture,
            .reshare(vault: "acme", threshold: 3, custodians: Fixture.names, reason: "rotate the shares")
        )
        _ = try open(fixture, reshare, try approvals(fixture, reshare, [0, 1, 2]))
        let fresh = try request(fixture)
        // Carol replays her generation-1 share, relabelled as generation 2: its digest gives her away.
        let carol = fixture.custodians[2]
        let oldShare = try oldVault.shares.envelopes[2].open(
            with: carol,
            shareSet: oldVault.shares,
            vaultID: oldVault.id.bytes,
            generation: 1
        )
        let given =
            try approvals(fixture, fresh, [1, 3])
            + [
                ApprovalFile(
                    source: "carol.approval",
                    approval: try forgedApproval(fresh, by: carol, x: 3, share: oldShare)
                )
            ]
        let error = expectEscrowError(.badShare) { _ = try open(fixture, fresh, given) }
        #expect(error?.message.hasPrefix("the share of carol (\(carol.publicIdentity.fingerprint)) is bad") == true)
        // Labelled honestly as generation 1, it is refused before anything is decrypted.
        let honest = try forgedApproval(fresh, by: carol, x: 3, share: oldShare, generation: 1)
        let report = try fixture.store.quorumReport(
            for: fresh,
            approvals: try approvals(fixture, fresh, [1, 3]) + [
                ApprovalFile(source: "carol.approval", approval: honest)
            ]
        )
        #expect(
            report.notCounted.first?.error.message
                == "carol (\(carol.publicIdentity.fingerprint)) sent a share of generation 1 of vault 'acme', but the request is for generation 2"
        )
    }

    @Test func releaseSealsEveryEntryToTheCustomerOnly() throws {
        let fixture = try fixture()
        let customer = try identity("acme-corp")
        let request = try request(
            fixture,
            .release(vault: "acme", to: customer.publicIdentity, reason: "contract ended")
        )
        #expect(request.customer?.fingerprint == customer.publicIdentity.fingerprint)
        let given = try approvals(fixture, request, [1, 2, 4])
        var delivered: ReleaseBundle?
        var rng = StreamRandom()
        let outcome = try fixture.store.executeRequest(
            request,
            approvals: given,
            requester: fixture.alice,
            using: &rng,
            deliver: { delivered = $0 }
        )
        guard case .released(let bundle) = outcome.result else {
            Issue.record("expected a bundle")
            return
        }
        #expect(delivered == bundle)
        #expect(outcome.vault.state == .released)
        #expect(outcome.record.action == .vaultRelease)
        #expect(outcome.record.details["customer_fingerprint"] == customer.publicIdentity.fingerprint.description)
        #expect(try fixture.store.vault(named: "acme").state == .released)

        let decoded = try ReleaseBundle.decode(try bundle.encoded(), source: "acme.bundle")
        #expect(decoded == bundle)
        #expect(decoded.vaultMetadata["account_id"] == "123456789012")
        #expect(decoded.approvers.map(\.name) == ["bob", "carol", "erin"])
        let entries = try decoded.open(with: customer)
        #expect(entries.map(\.name) == ["root-mfa", "root-password"])
        #expect(string(entries[1].value) == Self.password)
        #expect(Base32.encode(entries[0].value.withUnsafeBytes { Array($0) }) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        let wrong = expectEscrowError(.notAuthorized) { _ = try decoded.open(with: fixture.alice) }
        #expect(wrong?.message.hasPrefix("this bundle is sealed to acme-corp") == true)

        // A released vault refuses every later unlock.
        let refused = expectEscrowError(.conflict) { _ = try self.request(fixture) }
        #expect(refused?.message == "vault 'acme' was released to its customer: it can no longer be unlocked")
        expectEscrowError(.conflict) {
            var rng = StreamRandom()
            _ = try fixture.store.runCeremony(
                .open(vault: "acme", entries: ["root-password"], reason: "x", forceReason: "y"),
                custodians: Array(fixture.custodians.prefix(3)),
                using: &rng
            )
        }
        _ = try fixture.store.verifyAudit()
    }

    @Test func tamperedBundlesAreRefused() throws {
        let fixture = try fixture()
        let customer = try identity("acme-corp")
        var rng = StreamRandom()
        let outcome = try fixture.store.runCeremony(
            .release(vault: "acme", to: customer.publicIdentity, reason: "contract ended"),
            custodians: Array(fixture.custodians.prefix(3)),
            using: &rng
        )
        guard case .released(let bundle) = outcome.result else {
            Issue.record("expected a bundle")
            return
        }
        #expect(bundle.requestID == nil)
        let text = String(decoding: try bundle.encoded(), as: UTF8.self)
        let edited = text.replacingOccurrences(
            of: "\"reason\": \"contract ended\"",
            with: "\"reason\": \"contract renewed\""
        )
        #expect(edited != text)
        expectEscrowError(.tampered) { _ = try ReleaseBundle.decode(Array(edited.utf8), source: "b") }
        let versioned = text.replacingOccurrences(of: "\"version\": 1\n", with: "\"version\": 2\n")
        expectEscrowError(.unsupportedVersion) { _ = try ReleaseBundle.decode(Array(versioned.utf8), source: "b") }
        let extra = text.replacingOccurrences(of: "\"format\"", with: "\"extra\": 1,\n  \"format\"")
        #expect(extra != text)
        let unknown = expectEscrowError(.malformedFile) { _ = try ReleaseBundle.decode(Array(extra.utf8), source: "b") }
        #expect(unknown?.message == "b: field 'extra' is not part of the format")
    }

    @Test func closedVaultsNeedAForcedUnlock() throws {
        let fixture = try fixture()
        let (closed, record) = try fixture.store.closeVault(
            named: "acme",
            by: fixture.custodians[3],
            reason: "account closed"
        )
        #expect(closed.state == .closed)
        #expect(record.action == .vaultClose)
        #expect(record.reason == "account closed")
        let refused = expectEscrowError(.conflict) { _ = try request(fixture) }
        #expect(refused?.message == "vault 'acme' is closed")
        #expect(refused?.hint == .forceClosedVault)
        expectEscrowError(.conflict) { try fixture.store.closeVault(named: "acme", by: fixture.alice, reason: "again") }
        let forced = try request(
            fixture,
            .open(vault: "acme", entries: ["root-password"], reason: "legal hold", forceReason: "court order 17")
        )
        #expect(forced.forceReason == "court order 17")
        let outcome = try open(fixture, forced, try approvals(fixture, forced, [1, 2, 3]))
        #expect(openedEntries(outcome).first.map { string($0.value) } == Self.password)
        #expect(outcome.record.details["forced"] == "true")
        #expect(outcome.record.details["force_reason"] == "court order 17")
        // Forcing an active vault is refused: the audit log must not say "forced" for nothing.
        let other = try Fixture()
        expectEscrowError(.invalidInput) {
            _ = try other.store.makeRequest(
                .open(vault: "acme", entries: [], reason: "x", forceReason: "y"),
                by: other.alice,
                lifetime: 3600
            )
        }
        _ = try fixture.store.verifyAudit()
    }

    @Test func ceremonyOpensWithTheCustodiansPresent() throws {
        let fixture = try fixture()
        var rng = StreamRandom()
        let intent = UnlockIntent.open(vault: "acme", entries: ["root-mfa", "root-password"], reason: "in the room")
        let outcome = try fixture.store.runCeremony(
            intent,
            custodians: [fixture.custodians[4], fixture.custodians[0], fixture.custodians[2]],
            using: &rng
        )
        let entries = openedEntries(outcome)
        #expect(entries.map(\.name) == ["root-mfa", "root-password"])
        #expect(string(try entries[0].totpCode(at: 59).digits) == "287082")
        #expect(outcome.record.action == .unlockCeremony)
        #expect(outcome.record.actorName == "erin")
        #expect(outcome.record.details["approvers"] == "erin,alice,carol")
        #expect(outcome.record.details["mode"] == "ceremony")
        let before = try snapshot(fixture.root)
        let tooFew = expectEscrowError(.quorumNotMet) {
            _ = try fixture.store.runCeremony(intent, custodians: Array(fixture.custodians.prefix(2)), using: &rng)
        }
        #expect(
            tooFew?.message
                == "vault 'acme' needs 3 custodians and 2 are present: 1 more needed, from any of carol, dave, erin"
        )
        let mallory = try identity("mallory")
        expectEscrowError(.notAuthorized) {
            _ = try fixture.store.runCeremony(
                intent,
                custodians: Array(fixture.custodians.prefix(2)) + [mallory],
                using: &rng
            )
        }
        #expect(try snapshot(fixture.root) == before)
        _ = try fixture.store.verifyAudit()
    }

    @Test func requestAndApprovalFilesRoundTripAndRefuseTampering() throws {
        let fixture = try fixture()
        let request = try request(fixture)
        let bytes = try request.encoded()
        let decoded = try UnlockRequest.decode(bytes, source: "req.json")
        #expect(decoded == request)
        #expect(decoded.hash == request.hash)
        let text = String(decoding: bytes, as: UTF8.self)
        func refused(_ edited: String, _ code: EscrowError.Code) {
            #expect(edited != text)
            expectEscrowError(code) { _ = try UnlockRequest.decode(Array(edited.utf8), source: "req.json") }
        }
        refused(text.replacingOccurrences(of: "billing dispute", with: "billing disputes"), .tampered)
        refused(text.replacingOccurrences(of: "\"root-password\"", with: "\"root-mfa\""), .tampered)
        refused(text.replacingOccurrences(of: "\"version\": 1\n", with: "\"version\": 2\n"), .unsupportedVersion)
        refused(text.replacingOccurrences(of: "\"action\"", with: "\"extra\": 1,\n  \"action\""), .malformedFile)
        let unknown = expectEscrowError(.malformedFile) {
            _ = try UnlockRequest.decode(
                Array(text.replacingOccurrences(of: "\"action\"", with: "\"extra\": 1,\n  \"action\"").utf8),
                source: "req.json"
            )
        }
        #expect(unknown?.message == "req.json: field 'extra' is not part of the format")
        refused(text.replacingOccurrences(of: "\"action\": \"open\"", with: "\"action\": \"release\""), .malformedFile)

        let approval = try fixture.store.approve(request, by: fixture.custodians[1])
        let approvalBytes = try approval.encoded()
        #expect(try UnlockApproval.decode(approvalBytes, source: "bob.approval") == approval)
        let approvalText = String(decoding: approvalBytes, as: UTF8.self)
        let share = approval.shares[0].sealedShare.bytes
        var flipped = share
        flipped[30] ^= 1
        let tampered = approvalText.replacingOccurrences(
            of: Base64URL.encode(share),
            with: Base64URL.encode(flipped)
        )
        let error = expectEscrowError(.tampered) {
            _ = try UnlockApproval.decode(Array(tampered.utf8), source: "bob.approval")
        }
        #expect(
            error?.message
                == "bob.approval: the signature of bob (\(fixture.custodians[1].publicIdentity.fingerprint)) does not verify: the approval was altered"
        )
        let extra = approvalText.replacingOccurrences(of: "\"format\"", with: "\"extra\": 1,\n  \"format\"")
        #expect(extra != approvalText)
        let unknownInApproval = expectEscrowError(.malformedFile) {
            _ = try UnlockApproval.decode(Array(extra.utf8), source: "bob.approval")
        }
        #expect(unknownInApproval?.message == "bob.approval: field 'extra' is not part of the format")
        // Only the requester can unseal the request key.
        expectEscrowError(.notAuthorized) { _ = try request.ephemeralKeyPair(for: fixture.custodians[1]) }
        #expect(try request.ephemeralKeyPair(for: fixture.alice).publicKey == request.ephemeralPublicKey.bytes)
    }
}
