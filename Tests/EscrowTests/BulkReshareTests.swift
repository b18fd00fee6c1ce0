import Foundation
import Shamir
import Sodium
import Testing

@testable import Escrow

/// A store with six custodians (frank holds no share yet) and these vaults:
/// - `v01`…`vNN`: 3 of 5 (alice, bob, carol, dave, erin), `v01` with a password (20 of them by default; fewer where
///   the test is about something else, to keep `swift test` fast);
/// - `tight`: 3 of 3 (alice, bob, carol);
/// - `solo`: 2 of 3 (alice, carol, dave) — no bob;
/// - `gone`: 2 of 3 (alice, carol, dave), released;
/// - `shut`: 3 of 5 like `v01`, closed.
struct BulkFixture {
    let base: Fixture
    let frank: CustodianIdentity
    /// The 3-of-5 vaults.
    let standard: [String]
    var store: Store { base.store }
    var root: String { base.root }
    static let password = "S3cond-vault-root-password!"

    /// The vaults bob holds a share of and that `--all --remove bob` re-splits, sorted.
    var resplit: [String] { (standard + ["tight"]).sorted() }

    init(standard count: Int = 20) throws {
        standard = (1...count).map { String(format: "v%02d", $0) }
        base = try Fixture(withVault: false)
        frank = try identity("frank")
        try base.store.addCustodian(frank.publicIdentity, by: base.alice)
        var rng = try deterministicRandom(3)
        for name in standard + ["shut"] {
            _ = try store.createVault(
                name: name,
                threshold: 3,
                custodianNames: Fixture.names,
                metadata: [:],
                by: base.alice,
                using: &rng
            )
        }
        _ = try store.createVault(
            name: "tight",
            threshold: 3,
            custodianNames: ["alice", "bob", "carol"],
            metadata: [:],
            by: base.alice,
            using: &rng
        )
        for name in ["solo", "gone"] {
            _ = try store.createVault(
                name: name,
                threshold: 2,
                custodianNames: ["alice", "carol", "dave"],
                metadata: [:],
                by: base.alice,
                using: &rng
            )
        }
        _ = try store.deposit(
            into: "v01",
            entry: "root-password",
            kind: .password,
            prepared: try EntryInput.prepare(secure(Self.password + "\n"), kind: .password, entryName: "root-password"),
            by: base.alice
        )
        _ = try store.runCeremony(
            .release(vault: "gone", to: try identity("acme-corp").publicIdentity, reason: "contract ended"),
            custodians: [base.alice, base.custodians[2]],
            using: &rng
        )
        _ = try store.closeVault(named: "shut", by: base.alice, reason: "account closed")
    }

    func person(_ name: String) -> CustodianIdentity {
        name == "frank" ? frank : base.custodians[Fixture.names.firstIndex(of: name) ?? 0]
    }

    static let leave = ReshareChange(selection: .all, remove: ["bob"], add: ["frank"], reason: "bob leaves")

    func request(_ change: ReshareChange = Self.leave) throws -> (request: UnlockRequest, plan: ResharePlan) {
        try store.makeReshareRequest(change, by: base.alice, lifetime: 86_400)
    }

    func approvals(_ request: UnlockRequest, _ names: [String]) throws -> [ApprovalFile] {
        try names.map { ApprovalFile(source: "\($0).approval", approval: try store.approve(request, by: person($0))) }
    }

    func execute(_ request: UnlockRequest, _ approvals: [ApprovalFile], partial: Bool = false) throws
        -> BatchReshareOutcome
    {
        var rng = StreamRandom()
        return try store.executeBatchReshare(
            request,
            approvals: approvals,
            requester: base.alice,
            partial: partial,
            using: &rng
        )
    }

    func vault(_ name: String) throws -> Vault { try store.vault(named: name) }

    /// bob's approval with his real shares, except a random one for `badVault`: what a broken or malicious custodian
    /// could send (validly signed).
    func forgedBobApproval(_ request: UnlockRequest, badVault: String) throws -> ApprovalFile {
        let bob = person("bob")
        var contributions: [UnlockApproval.Contribution] = []
        for target in request.targets {
            let vault = try vault(target.vaultName)
            guard let custodian = vault.policy.custodian(fingerprint: bob.publicIdentity.fingerprint),
                let envelope = vault.shares.envelope(for: custodian.fingerprint)
            else { continue }
            let share =
                target.vaultName == badVault
                ? SecureBytes.random(count: 32)
                : try envelope.open(
                    with: bob,
                    shareSet: vault.shares,
                    vaultID: vault.id.bytes,
                    generation: vault.generation
                )
            contributions.append(.init(target: target, x: custodian.x, share: share))
        }
        return ApprovalFile(
            source: "bob.approval",
            approval: try UnlockApproval.seal(contributions, for: request, by: bob, at: request.createdAt)
        )
    }
}

@Suite struct BulkReshareTests {
    init() throws { try Sodium.initialize() }

    @Test func aDepartingCustodianIsReplacedInEveryVaultWithOneApprovalEach() throws {
        let fixture = try BulkFixture()
        let recordsBefore = try fixture.store.verifyAudit().recordCount
        let (request, plan) = try fixture.request()
        #expect(request.action == .reshare)
        #expect(plan.targets.map(\.vaultName) == fixture.resplit)
        #expect(
            plan.skipped.map { "\($0.vaultName): \($0.reason)" } == [
                "gone: released to its customer: it is never re-split",
                "shut: closed: include closed vaults with --force --force-reason",
                "solo: holds no share of bob",
            ]
        )
        #expect(plan.changes.map(\.count) == [20, 1])
        #expect(plan.changes.first?.change.description == "3 of 5 → 3 of 5: remove bob; add frank")
        #expect(plan.changes.last?.change.description == "3 of 3 → 3 of 3: remove bob; add frank")
        for target in request.targets {
            #expect(target.generation == 1)
            let expected =
                target.vaultName == "tight"
                ? ["alice", "carol", "frank"] : ["alice", "carol", "dave", "erin", "frank"]
            #expect(target.newPolicy?.custodians.map(\.name) == expected)
            #expect(target.newPolicy?.custodians.map(\.x) == (1...expected.count).map { UInt8($0) })
            #expect(target.newPolicy?.threshold == 3)
        }
        // The request file round-trips with every target.
        #expect(try UnlockRequest.decode(try request.encoded(), source: "req").targets == request.targets)

        // One approval per custodian, each carrying the shares of every vault the custodian holds.
        let before = try snapshot(fixture.root)
        let alice = try fixture.store.approveBatch(request, by: fixture.person("alice"))
        #expect(alice.approval.shares.map(\.vaultName) == fixture.resplit)
        #expect(alice.envelopeAgreements == fixture.resplit.count, "each vault still has its ceremony's ephemeral key")
        #expect(alice.review.notHeld == 0)
        let dave = try fixture.store.approveBatch(request, by: fixture.person("dave"))
        #expect(dave.approval.shares.map(\.vaultName) == fixture.standard)
        #expect(dave.review.notHeld == 1)
        let approvals =
            [ApprovalFile(source: "alice.approval", approval: alice.approval)]
            + (try fixture.approvals(request, ["bob", "carol"]))
        #expect(try snapshot(fixture.root) == before, "requests and approvals never touch the store")
        let report = try fixture.store.batchQuorumReport(for: request, approvals: approvals)
        #expect(report.isReady)
        #expect(report.targets.allSatisfy { $0.shares.map(\.custodian.name) == ["alice", "bob", "carol"] })

        let outcome = try fixture.execute(request, approvals)
        #expect(outcome.failed.isEmpty)
        #expect(outcome.reshared.map(\.vault.name) == fixture.resplit)
        #expect(outcome.records.count == fixture.resplit.count)
        let batchIDs = Set(outcome.records.compactMap { try? AuditBatch.of($0)?.id })
        #expect(batchIDs.count == 1)
        for (index, record) in outcome.records.enumerated() {
            #expect(record.action == .vaultReshare)
            #expect(record.seq == Int64(recordsBefore + index + 1))
            #expect(try AuditBatch.of(record)?.index == index + 1)
            #expect(try AuditBatch.of(record)?.size == fixture.resplit.count)
            #expect(record.details["request_id"] == request.id.description)
            #expect(record.details["approvers"] == "alice,bob,carol")
            #expect(record.details["generation"] == "1")
            #expect(record.details["new_generation"] == "2")
            #expect(record.reason == "bob leaves")
            #expect(record.files.map(\.path) == ["vaults/\(fixture.resplit[index]).json"])
        }

        // Every re-split vault: generation 2, bob gone, frank in, the same key, one ephemeral key for the batch.
        var ephemeralKeys = Set<Base64Bytes>()
        for name in fixture.resplit {
            let vault = try fixture.vault(name)
            #expect(vault.generation == 2)
            #expect(vault.policy.custodian(named: "bob") == nil)
            #expect(vault.policy.custodian(named: "frank") != nil)
            #expect(vault.shares.envelopes.map(\.custodian) == vault.policy.custodians.map(\.name))
            #expect(vault.lastWriter.name == "alice")
            ephemeralKeys.insert(vault.shares.ephemeralPublicKey)
        }
        #expect(ephemeralKeys.count == 1)
        #expect(try fixture.vault("solo").generation == 1)
        #expect(try fixture.vault("gone").state == .released)
        #expect(try fixture.store.verifyAudit().recordCount == recordsBefore + fixture.resplit.count)

        // The request executes once.
        expectEscrowError(.alreadyUsed) { _ = try fixture.execute(request, approvals) }

        // The old set cannot approve; the new custodian can, and opens with two others.
        let open = try fixture.store.makeRequest(
            .open(vault: "v01", entries: ["root-password"], reason: "billing dispute"),
            by: fixture.base.alice,
            lifetime: 3600
        )
        let refused = expectEscrowError(.notAuthorized) {
            _ = try fixture.store.approve(open, by: fixture.person("bob"))
        }
        #expect(refused?.message.contains("is not a custodian of vault 'v01' (generation 2)") == true)
        var rng = StreamRandom()
        let opened = try fixture.store.executeRequest(
            open,
            approvals: try fixture.approvals(open, ["frank", "carol", "erin"]),
            requester: fixture.base.alice,
            using: &rng
        )
        guard case .opened(let entries) = opened.result else {
            Issue.record("expected opened entries")
            return
        }
        #expect(entries.first.map { string($0.value) } == BulkFixture.password)

        // A second batch over vaults that share the batch's ephemeral key: ONE agreement decrypts every envelope.
        let (again, _) = try fixture.request(
            ReshareChange(selection: .vaults(["v01", "v02", "v03"]), threshold: 2, reason: "lower the threshold")
        )
        let frank = try fixture.store.approveBatch(again, by: fixture.frank)
        #expect(frank.envelopeAgreements == 1)
        #expect(frank.approval.shares.count == 3)

        // bob still holds a share of the closed vault: he cannot leave the roster yet.
        let stays = expectEscrowError(.conflict) {
            try fixture.store.removeCustodian(named: "bob", by: fixture.base.alice)
        }
        #expect(stays?.message.contains("shut") == true)
    }

    @Test func closedVaultsAreReSplitOnlyWhenForced() throws {
        let fixture = try BulkFixture(standard: 2)
        let forced = ReshareChange(
            selection: .vaults(["shut"]),
            remove: ["bob"],
            add: ["frank"],
            reason: "bob leaves",
            forceReason: "keep the closed account's vault reachable"
        )
        let (request, plan) = try fixture.request(forced)
        #expect(plan.targets.map(\.vaultName) == ["shut"])
        #expect(request.forceReason == "keep the closed account's vault reachable")
        // A batch of one vault.
        let outcome = try fixture.execute(request, try fixture.approvals(request, ["carol", "dave", "erin"]))
        #expect(
            outcome.reshared.first?.vault.policy.custodians.map(\.name) == ["alice", "carol", "dave", "erin", "frank"]
        )
        #expect(outcome.records.first?.details["forced"] == "true")
        #expect(try AuditBatch.of(outcome.records[0]) == nil, "a batch of one is unmarked")
        // Forcing when nothing selected is closed is refused.
        let pointless = expectEscrowError(.invalidInput) {
            _ = try fixture.request(
                ReshareChange(selection: .vaults(["v01"]), remove: ["bob"], reason: "x", forceReason: "y")
            )
        }
        #expect(pointless?.message == "none of the vaults to re-split is closed")
        #expect(pointless?.hint == .forceOnlyForClosedVaults)
    }

    @Test func impossibleChangesAreRefusedUpFrontNamingTheVault() throws {
        let fixture = try BulkFixture(standard: 4)
        let tooFew = expectEscrowError(.invalidInput) {
            _ = try fixture.request(ReshareChange(selection: .all, remove: ["bob"], reason: "bob leaves"))
        }
        #expect(
            tooFew?.message
                == "vault 'tight' would keep 2 custodians (alice, carol) for its threshold of 3: add custodians (--add) or lower the threshold (--threshold); nothing was written"
        )
        let (lowered, plan) = try fixture.request(
            ReshareChange(selection: .all, remove: ["bob"], threshold: 2, reason: "bob leaves")
        )
        #expect(lowered.targets.count == fixture.resplit.count)
        #expect(plan.changes.first?.change.description == "3 of 5 → 2 of 4: remove bob")
        #expect(
            expectEscrowError(.notFound) {
                _ = try fixture.request(ReshareChange(selection: .all, remove: ["zed"], reason: "x"))
            }?.message == "custodian 'zed' is not in the roster"
        )
        #expect(
            expectEscrowError(.invalidInput) {
                _ = try fixture.request(ReshareChange(selection: .all, remove: ["bob"], add: ["bob"], reason: "x"))
            }?.message == "custodian 'bob' is both removed and added"
        )
        #expect(
            expectEscrowError(.invalidInput) { _ = try fixture.request(ReshareChange(selection: .all, reason: "x")) }?
                .message == "say what changes"
        )
        expectEscrowError(.notFound) {
            _ = try fixture.request(ReshareChange(selection: .vaults(["nope"]), remove: ["bob"], reason: "x"))
        }
        #expect(
            expectEscrowError(.invalidInput) {
                _ = try fixture.request(ReshareChange(selection: .vaults(["gone"]), remove: ["carol"], reason: "x"))
            }?.message == "no vault to re-split (1 released to its customer: it is never re-split)"
        )
    }

    @Test func aVaultReSplitSinceTheRequestStopsTheBatchUnlessPartial() throws {
        let fixture = try BulkFixture(standard: 8)
        let (request, _) = try fixture.request()
        let approvals = try fixture.approvals(request, ["alice", "bob", "carol"])
        // v05 is re-split on its own meanwhile.
        let single = try fixture.store.makeRequest(
            .reshare(vault: "v05", threshold: 2, custodians: ["carol", "dave", "erin"], reason: "rotate"),
            by: fixture.base.alice,
            lifetime: 3600
        )
        var rng = StreamRandom()
        _ = try fixture.store.executeRequest(
            single,
            approvals: try fixture.approvals(single, ["carol", "dave", "erin"]),
            requester: fixture.base.alice,
            using: &rng
        )
        let before = try snapshot(fixture.root)
        let status = try fixture.store.batchQuorumReport(for: request, approvals: approvals)
        #expect(status.notReady.map(\.target.vaultName) == ["v05"])
        let refused = expectEscrowError(.conflict) { _ = try fixture.execute(request, approvals) }
        #expect(
            refused?.message
                == "request \(request.code) was made for generation 1 of vault 'v05', which was re-split since (now generation 2): make a new request (1 of the 9 vaults); nothing was changed"
        )
        #expect(refused?.hints == [.executeReadyVaultsOnly])
        #expect(try snapshot(fixture.root) == before, "nothing written, not even a record")

        let outcome = try fixture.execute(request, approvals, partial: true)
        #expect(outcome.reshared.map(\.vault.name) == fixture.resplit.filter { $0 != "v05" })
        #expect(outcome.failed.map(\.vaultName) == ["v05"])
        #expect(outcome.failed.first?.record == nil)
        #expect(outcome.records.count == 8)
        #expect(try fixture.vault("v05").policy.summary == "2 of 3")
        #expect(try fixture.vault("v06").generation == 2)
        expectEscrowError(.alreadyUsed) { _ = try fixture.execute(request, approvals, partial: true) }
        _ = try fixture.store.verifyAudit()
    }

    @Test func aBadShareInOneVaultFailsTheBatchAndIsRecorded() throws {
        let fixture = try BulkFixture()
        let (request, _) = try fixture.request()
        let bob = fixture.person("bob").publicIdentity
        let approvals =
            try fixture.approvals(request, ["alice", "carol"]) + [
                try fixture.forgedBobApproval(request, badVault: "v07")
            ]
        #expect(
            try fixture.store.batchQuorumReport(for: request, approvals: approvals).isReady,
            "no secret: it looks fine"
        )
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.badShare) { _ = try fixture.execute(request, approvals) }
        #expect(
            error?.message
                == "the share of bob (\(bob.fingerprint)) is bad: it does not match its recorded digest (a wrong share, or one of another vault or generation), in bob.approval; 2 good shares of the 3 vault 'v07' needs: it was not re-split; nothing was re-split"
        )
        #expect(error?.hints == [.executeGoodVaultsOnly])
        // Only the audit log changed, by one failed-attempt record naming bob for v07.
        let after = try snapshot(fixture.root)
        for (path, bytes) in before where path != "audit.log" { #expect(after[path] == bytes, "\(path) changed") }
        let added = Array((after["audit.log"] ?? []).dropFirst((before["audit.log"] ?? []).count).dropLast())
        #expect(!added.contains(UInt8(ascii: "\n")), "exactly one record")
        let record = try AuditRecord.parse(added, lineNumber: nil)
        #expect(record.action == .unlockFailed)
        #expect(record.vault?.name == "v07")
        #expect(record.details["bad_shares"] == "bob:\(bob.fingerprint)")
        #expect(record.details["approvers"] == "alice,carol")

        // Partial: every other vault is re-split; v07 is recorded as failed in the same batch and left unchanged.
        let outcome = try fixture.execute(request, approvals, partial: true)
        #expect(outcome.reshared.count == 20)
        #expect(outcome.failed.map(\.vaultName) == ["v07"])
        #expect(outcome.failed.first?.error.code == .badShare)
        #expect(outcome.records.count == 21)
        #expect(outcome.records.filter { $0.action == .unlockFailed }.map(\.vault?.name) == ["v07"])
        #expect(try fixture.vault("v07").generation == 1)
        #expect(try fixture.vault("v08").generation == 2)
        _ = try fixture.store.verifyAudit()
    }

    @Test func aBadShareBeyondAVaultsQuorumIsNamedButNotNeeded() throws {
        let fixture = try BulkFixture(standard: 8)
        let (request, _) = try fixture.request()
        let approvals =
            try fixture.approvals(request, ["alice", "carol", "erin"]) + [
                try fixture.forgedBobApproval(request, badVault: "v07")
            ]
        let outcome = try fixture.execute(request, approvals)
        #expect(outcome.failed.isEmpty)
        let v07 = outcome.reshared.first { $0.vault.name == "v07" }
        #expect(v07?.approvers.map(\.name) == ["alice", "carol", "erin"])
        #expect(v07?.badShares.first?.hasPrefix("bob (") == true)
        #expect(v07?.record.details["bad_shares"] == "bob:\(fixture.person("bob").publicIdentity.fingerprint)")
        // Where bob's share is good it counts first (approval order), and `tight` needed it.
        #expect(outcome.reshared.first { $0.vault.name == "v08" }?.approvers.map(\.name) == ["alice", "carol", "erin"])
        #expect(
            outcome.reshared.first { $0.vault.name == "tight" }?.approvers.map(\.name) == ["alice", "carol", "bob"]
        )
    }

    @Test func missingQuorumForOneVaultStopsTheBatchUnlessPartial() throws {
        let fixture = try BulkFixture(standard: 8)
        var rng = try deterministicRandom(9)
        _ = try fixture.store.createVault(
            name: "odd",
            threshold: 3,
            custodianNames: ["bob", "dave", "erin", "alice"],
            metadata: [:],
            by: fixture.base.alice,
            using: &rng
        )
        let (request, _) = try fixture.request()
        let approvals = try fixture.approvals(request, ["alice", "bob", "carol"])
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.quorumNotMet) { _ = try fixture.execute(request, approvals) }
        #expect(
            error?.message
                == "request \(request.code) has 2 of the 3 approvals vault 'odd' needs: 1 more needed, from any of dave, erin (1 of the 10 vaults); nothing was changed"
        )
        #expect(error?.hints == [.executeReadyVaultsOnly])
        #expect(try snapshot(fixture.root) == before)
        let outcome = try fixture.execute(request, approvals, partial: true)
        #expect(outcome.failed.map(\.vaultName) == ["odd"])
        #expect(outcome.failed.first?.error.code == .quorumNotMet)
        #expect(try fixture.vault("odd").generation == 1)
        #expect(outcome.reshared.count == 9)
    }

    @Test func approvalFilesThatDoNotCountBlockTheBatch() throws {
        let fixture = try BulkFixture(standard: 4)
        let (request, _) = try fixture.request()
        let (other, _) = try fixture.request()
        var approvals = try fixture.approvals(request, ["alice", "bob", "carol"])
        approvals.append(
            ApprovalFile(
                source: "carol-again.approval",
                approval: try fixture.store.approve(request, by: fixture.person("carol"))
            )
        )
        approvals.append(
            ApprovalFile(
                source: "wrong.approval",
                approval: try fixture.store.approve(other, by: fixture.person("dave"))
            )
        )
        let report = try fixture.store.batchQuorumReport(for: request, approvals: approvals)
        #expect(report.notCounted.map(\.source) == ["carol-again.approval", "wrong.approval"])
        #expect(
            report.notCounted.first?.error.message.hasSuffix(
                "already approved in carol.approval: each custodian counts once"
            ) == true
        )
        let error = expectEscrowError(.conflict) { _ = try fixture.execute(request, approvals, partial: true) }
        #expect(error?.message.hasPrefix("carol-again.approval: ") == true)
        // A custodian of none of the vaults cannot approve.
        let frank = expectEscrowError(.notAuthorized) { _ = try fixture.store.approve(request, by: fixture.frank) }
        #expect(frank?.message.hasSuffix("holds no share of any of the 5 vaults of request \(request.code)") == true)
    }

    @Test(arguments: [
        CommitStep.pendingWritten, .recordTorn, .recordTornAtLine, .recordAppended, .renamedPartly, .renamed,
    ])
    func aCrashDuringTheBatchCommitLeavesEveryVaultOldOrNew(step: CommitStep) throws {
        let fixture = try BulkFixture(standard: 12)
        let (request, _) = try fixture.request()
        let approvals = try fixture.approvals(request, ["alice", "bob", "carol"])
        let records = try fixture.store.verifyAudit().recordCount
        let before = try snapshot(fixture.root)
        fixture.store.crashPoint = step
        fixture.store.batchDurability = step == .renamed ? .eachFile : .automatic
        expectEscrowError(.simulatedCrash) { _ = try fixture.execute(request, approvals) }
        #expect(try snapshot(fixture.root) != before, "the crash left debris")

        let reopened = try Store.open(at: fixture.root, clock: steppingClock(start: 1_800_000_000))
        _ = try reopened.vaultNames()  // the first lock runs recovery
        let notes = reopened.recoveryNotes
        let committed = [CommitStep.recordAppended, .renamedPartly, .renamed].contains(step)
        for name in fixture.resplit {
            #expect(try reopened.vault(named: name).generation == (committed ? 2 : 1), "\(name)")
        }
        #expect(try snapshot(fixture.root).keys.filter { $0.hasSuffix(".pending") }.isEmpty)
        #expect(try reopened.verifyAudit().recordCount == records + (committed ? fixture.resplit.count : 0))
        switch step {
        case .pendingWritten, .recordTorn:
            #expect(try snapshot(fixture.root) == before, "byte for byte the old store")
        case .recordTornAtLine:
            #expect(
                notes.first
                    == "removed 6 audit records of an incomplete batch (a torn write; the batch never committed)"
            )
            #expect(try snapshot(fixture.root) == before)
        case .recordAppended:
            #expect(
                notes == ["completed the changes of 13 files committed by audit records \(records + 1)–\(records + 13)"]
            )
        case .renamedPartly:
            #expect(
                notes == ["completed the changes of 7 files committed by audit records \(records + 7)–\(records + 13)"]
            )
        case .renamed:
            #expect(notes.isEmpty)
        }
        fixture.store.crashPoint = nil
        // The store keeps working: the request runs (again, or for the first time) and executes exactly once.
        if committed {
            expectEscrowError(.alreadyUsed) { _ = try fixture.execute(request, approvals) }
        } else {
            #expect(try fixture.execute(request, approvals).reshared.count == fixture.resplit.count)
        }
        _ = try reopened.verifyAudit()
    }

    @Test func aTornBatchWithDebrisBeforeItsLastRecordIsCutWhole() throws {
        // A crash can persist pages out of order: the last record complete, an earlier one zeros.
        let fixture = try BulkFixture(standard: 8)
        let (request, _) = try fixture.request()
        let approvals = try fixture.approvals(request, ["alice", "bob", "carol"])
        let before = try snapshot(fixture.root)
        fixture.store.crashPoint = .recordAppended
        expectEscrowError(.simulatedCrash) { _ = try fixture.execute(request, approvals) }
        let audit = fixture.store.layout.path("audit.log")
        var lines = try FileSystem.read(audit).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map(Array.init)
        lines.removeLast()  // the empty piece after the final newline
        let middle = lines.count - 4
        lines[middle] = [UInt8](repeating: 0, count: lines[middle].count)
        try DurableFile.write(Array(lines.joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")], to: audit)
        let reopened = try Store.open(at: fixture.root)
        _ = try reopened.vaultNames()
        let notes = reopened.recoveryNotes
        #expect(try reopened.vault(named: "v01").generation == 1)
        #expect(
            notes.first == "removed 8 audit records of an incomplete batch (a torn write; the batch never committed)"
        )
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func auditVerifyRefusesABatchCutShort() throws {
        let fixture = try BulkFixture(standard: 4)
        let (request, _) = try fixture.request()
        _ = try fixture.execute(request, try fixture.approvals(request, ["alice", "bob", "carol"]))
        let lines = try AuditLog(path: fixture.store.layout.path("audit.log")).lines().lines
        let report = try AuditVerifier.verify(lines: lines)
        #expect(report.recordCount == lines.count)
        let cut = expectEscrowError(.auditBroken) { _ = try AuditVerifier.verify(lines: Array(lines.dropLast(3))) }
        #expect(cut?.message.contains("the log ends inside batch") == true)
        #expect(cut?.message.contains("after record 2 of 5 (the log was truncated)") == true)
    }

    @Test func batchMarksParseStrictly() throws {
        func record(_ details: [String: String]) throws -> AuditRecord {
            AuditRecord(
                seq: 5,
                time: UTCTime(secondsSinceEpoch: 0),
                action: .vaultReshare,
                vault: nil,
                actor: try identity("alice").publicIdentity,
                reason: nil,
                details: details,
                files: [],
                prev: AuditChain.genesis
            )
        }
        #expect(try AuditBatch.of(try record([:])) == nil)
        let mark = AuditBatch(id: "0011223344556677", index: 2, size: 3)
        var details: [String: String] = [:]
        mark.mark(&details)
        #expect(details == ["batch_id": "0011223344556677", "batch_index": "2", "batch_size": "3"])
        #expect(try AuditBatch.of(try record(details)) == mark)
        for bad in [
            ["batch_id": "0011223344556677", "batch_index": "2"],
            ["batch_id": "0011223344556677", "batch_index": "4", "batch_size": "3"],
            ["batch_id": "0011223344556677", "batch_index": "02", "batch_size": "3"],
            ["batch_id": "xyz", "batch_index": "1", "batch_size": "3"],
            ["batch_id": "0011223344556677", "batch_index": "1", "batch_size": "1"],
        ] {
            expectEscrowError(.malformedFile) { _ = try AuditBatch.of(try record(bad)) }
        }
    }

    @Test func theBatchKernelsAgreeWithTheSingleVaultOnes() throws {
        // combineBatch groups vaults by x-set; every key must come back whatever the grouping.
        var rng = try deterministicRandom(11)
        let keys = SecureBytes.random(count: 6 * 32)
        let policies: [[UInt8]] = [[1, 2, 3], [1, 2, 3], [2, 4, 5], [1, 2, 3], [3, 4], [2, 4, 5]]
        let shares = SecureBytes(count: policies.reduce(0) { $0 + $1.count } * 32)
        var selections: [MasterKey.Selection] = []
        var offset = 0
        for (index, xs) in policies.enumerated() {
            let rows = SecureBytes(count: 5 * 32)
            try keys.withUnsafeBytes { keys in
                try rows.withUnsafeMutableBytes { rows in
                    try Shamir.split(
                        UnsafeRawBufferPointer(rebasing: keys[(index * 32)..<((index + 1) * 32)]),
                        threshold: xs.count,
                        xs: [1, 2, 3, 4, 5],
                        into: rows,
                        using: &rng
                    )
                }
            }
            // Hand the shares over in reverse x order: the selection sorts them.
            var offsets: [Int] = []
            for x in xs.reversed() {
                rows.withUnsafeBytes { rows in
                    shares.withUnsafeMutableBytes { out in
                        UnsafeMutableRawBufferPointer(rebasing: out[offset..<(offset + 32)])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: rows[(Int(x) - 1) * 32..<Int(x) * 32]))
                    }
                }
                offsets.append(offset)
                offset += 32
            }
            selections.append(MasterKey.Selection(xs: xs.reversed(), offsets: offsets))
        }
        let rebuilt = SecureBytes(count: 6 * 32)
        try MasterKey.combineBatch(selections, shares: shares, into: rebuilt)
        #expect(rebuilt == keys)
        let publicKeys = try (0..<6).map { index in
            try keys.withUnsafeBytes {
                try BoxKeyPair.publicKey(
                    forSecretKey: UnsafeRawBufferPointer(rebasing: $0[(index * 32)..<((index + 1) * 32)])
                )
            }
        }
        #expect(MasterKey.publicKeysMatch(rebuilt, publicKeys: publicKeys) == Array(repeating: true, count: 6))
        #expect(
            MasterKey.publicKeysMatch(rebuilt, publicKeys: publicKeys.reversed()) == Array(repeating: false, count: 6)
        )
    }
}
