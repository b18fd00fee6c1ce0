import Sodium
import Testing

@testable import Escrow

@Suite struct LedgerFlowTests {
    @Test func scopedOpenRevealsOnlyTheApprovedVersion() throws {
        let fixture = try LedgerFixture()
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-mfa"],
            approvers: ["bob", "carol", "dave"]
        )
        // The approvals carry components of root-mfa only.
        let state = fixture.ledger.state
        let password = try #require(state.vault(named: "acme")?.entries["root-password"]?.last)
        for (_, approval) in try #require(state.requests[request]).approvals {
            let body = try EventBody.decode(ApprovalBody.self, of: try #require(fixture.ledger.graph.event(approval)))
            #expect(body.shares.count == 1)
            #expect(!body.shares.contains { $0.version.bytes == password.id })
        }
        let values = try fixture.open(request, keys: keys)
        #expect(values == ["root-mfa": "JBSWY3DPEHPK3PXP"])
        // The open is recorded once; a reopened store folds to the same state.
        let reopened = try fixture.reopen()
        #expect(reopened.state.requests[request]?.execution != nil)
        #expect(reopened.graph.heads == fixture.ledger.graph.heads)
        #expect(reopened.state.findings.isEmpty)
    }

    @Test func tooFewApprovalsOpenNothing() throws {
        let fixture = try LedgerFixture()
        let (request, keys) = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: ["bob", "carol"])
        let error = expectEscrowError(.quorumNotMet) {
            _ = try fixture.ledger.open(request, requestKeys: keys, by: fixture.person("alice"), at: fixture.now())
        }
        #expect(error?.message == "root-password (acme): 2 of the 3 holder approvals it needs")
    }

    @Test func requestKeyOpensNothingDepositedLater() throws {
        let fixture = try LedgerFixture()
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password"],
            approvers: ["bob", "carol", "dave"]
        )
        _ = try fixture.open(request, keys: keys)
        try fixture.deposit("rotated-password", into: "acme", entry: "root-password", kind: .password)
        // Nothing sealed in the store after the open opens with the request key.
        let later = try #require(fixture.ledger.state.vault(named: "acme")?.entries["root-password"]?.last)
        let deposit = try EventBody.decode(
            DepositBody.self,
            of: try #require(fixture.ledger.graph.event(later.deposit))
        )
        let opener = try ShareOpener(boxKeys: keys, ephemeralPublicKey: deposit.ephemeralKey.bytes)
        let held = HeldShares(graph: fixture.ledger.graph, state: fixture.ledger.state)
        let vault = try #require(fixture.ledger.state.vault(named: "acme"))
        for share in deposit.shares {
            let position = try held.position(of: later, in: vault.reference, path: [], x: share.x)
            #expect(throws: EscrowError.self) { _ = try opener.open(share.sealed.bytes, position: position) }
        }
    }

    @Test func resplitMovesSharesWithoutRebuildingAndOpensAfterwards() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        try fixture.resplit("acme", remove: ["bob"], add: ["frank"], approvers: ["alice", "carol", "dave", "erin"])
        let vault = try #require(fixture.ledger.state.vault(named: "acme"))
        #expect(vault.generation == 2)
        #expect(
            vault.policy.custodians.map(\.name)
                == ["alice", "frank", "carol", "dave", "erin"].sorted {
                    (vault.policy.custodian(withKey: fixture.person($0).publicIdentity.signingKey)?.x ?? 0)
                        < (vault.policy.custodian(withKey: fixture.person($1).publicIdentity.signingKey)?.x ?? 0)
                }
        )
        let version = try #require(vault.entries["root-password"]?.last)
        #expect(version.levels.count == 1)
        #expect(version.levels[0].contributors.count == 4)
        // frank (new) opens with two others; bob (gone) cannot approve.
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password", "root-mfa"],
            approvers: ["frank", "carol", "erin"]
        )
        #expect(throws: EscrowError.self) {
            _ = try fixture.ledger.approve(
                request,
                by: fixture.person("bob"),
                at: fixture.now(),
                random: &fixture.random
            )
        }
        let values = try fixture.open(request, keys: keys)
        #expect(values == ["root-password": "s3cret-root-password", "root-mfa": "JBSWY3DPEHPK3PXP"])
        // The open resolved the level.
        let resolved = try #require(fixture.ledger.state.vault(named: "acme")?.entries["root-password"]?.last)
        #expect(resolved.levels[0].resolved?.count == 3)
    }

    @Test(arguments: [[3, 2, 4]]) func chainOfResplitsWithChangingThresholds(_ thresholds: [Int]) throws {
        let fixture = try LedgerFixture()
        for name in ["frank", "robot"] where name == "frank" { try fixture.addMember(name, role: .custodian) }
        // 3-of-5 → 2-of-4 → 4-of-5 (frank joins), with no open in between (levels stay unresolved).
        try fixture.resplit("acme", remove: ["erin"], threshold: 2, approvers: ["alice", "bob", "carol", "dave"])
        try fixture.resplit("acme", add: ["frank"], threshold: 4, approvers: ["alice", "bob", "carol"])
        try fixture.resplit("acme", remove: ["bob"], threshold: 3, approvers: ["alice", "carol", "dave", "frank"])
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password"],
            approvers: ["alice", "dave", "frank"]
        )
        #expect(try fixture.open(request, keys: keys) == ["root-password": "s3cret-root-password"])
        #expect(fixture.ledger.state.vault(named: "acme")?.generation == 4)
        #expect(thresholds.count == 3)
    }

    @Test func depositAfterResplitGoesToTheNewPolicyOnly() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        try fixture.resplit("acme", remove: ["bob"], add: ["frank"], approvers: ["alice", "carol", "dave"])
        let event = try fixture.deposit("after-bob-left", into: "acme", entry: "root-password", kind: .password)
        let body = try EventBody.decode(DepositBody.self, of: event)
        let vault = try #require(fixture.ledger.state.vault(named: "acme"))
        let bobKey = fixture.person("bob").publicIdentity.signingKey
        #expect(vault.policy.custodian(withKey: bobKey) == nil)
        #expect(body.generation == 2)
        #expect(Set(body.shares.map(\.x)) == Set(vault.policy.custodians.map(\.x)))
        // Every sealed value in the whole store history, tried with bob's key: none of this deposit's opens.
        let bobBox = try fixture.person("bob").boxKeyPair()
        let opener = try ShareOpener(boxKeys: bobBox, ephemeralPublicKey: body.ephemeralKey.bytes)
        let held = HeldShares(graph: fixture.ledger.graph, state: fixture.ledger.state)
        let version = try #require(vault.entries["root-password"]?.last)
        for x in UInt8(1)...UInt8(6) {
            for share in body.shares {
                let position = try held.position(of: version, in: vault.reference, path: [], x: x)
                #expect(throws: EscrowError.self) { _ = try opener.open(share.sealed.bytes, position: position) }
            }
        }
    }

    @Test func depositorRoleMayDepositOnly() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("robot", role: .depositor)
        try fixture.deposit("rotated-by-robot", into: "acme", entry: "root-password", kind: .password, by: "robot")
        #expect(fixture.ledger.state.vault(named: "acme")?.entries["root-password"]?.last?.depositor == "robot")
        let error = expectEscrowError(.notAuthorized) {
            _ = try fixture.ledger.request(
                .open,
                targets: [try fixture.ledger.versionsTarget(vault: "acme", entries: [])],
                recipient: RequestRecipient(name: "robot", key: BoxKeyPair().publicKey),
                reason: "curious",
                expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
                by: fixture.person("robot"),
                at: fixture.now()
            )
        }
        #expect(error?.message == "robot is a depositor, not a custodian")
    }

    @Test func pendingVaultRefusesDepositsNamingMissingCustodians() throws {
        let fixture = try LedgerFixture(withVault: false)
        let create = try fixture.ledger.createVault(
            named: "beta",
            metadata: [:],
            threshold: 2,
            custodians: ["alice", "bob", "carol"],
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try fixture.ledger.append([create])
        try fixture.ledger.append([
            try fixture.ledger.acknowledgeCustody(
                of: create.id,
                by: fixture.person("bob"),
                at: fixture.now()
            )
        ])
        let error = expectEscrowError(.notAuthorized) {
            try fixture.deposit("x", into: "beta", entry: "root-password", kind: .password)
        }
        #expect(error?.message == "vault 'beta' is not active yet: custody not acknowledged by alice, carol")
    }

    @Test func closeAndReopenTakeAQuorum() throws {
        let fixture = try LedgerFixture()
        for action in [RequestAction.close, .reopen] {
            let request = try fixture.ledger.request(
                action,
                targets: [RequestTarget(vault: try fixture.ledger.vault(named: "acme").reference, generation: 1)],
                recipient: nil,
                reason: "contract ended",
                expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
                by: fixture.person("alice"),
                at: fixture.now()
            )
            try fixture.ledger.append([request])
            try fixture.ledger.append([
                try fixture.ledger.approve(
                    request.id,
                    by: fixture.person("bob"),
                    at: fixture.now(),
                    random: &fixture.random
                )
            ])
            expectEscrowError(.quorumNotMet) {
                _ = try fixture.ledger.execute(request.id, by: fixture.person("alice"), at: fixture.now())
            }
            for name in ["carol", "dave"] {
                try fixture.ledger.append([
                    try fixture.ledger.approve(
                        request.id,
                        by: fixture.person(name),
                        at: fixture.now(),
                        random: &fixture.random
                    )
                ])
            }
            try fixture.ledger.append([
                try fixture.ledger.execute(request.id, by: fixture.person("alice"), at: fixture.now())
            ])
            #expect(fixture.ledger.state.vault(named: "acme")?.status == (action == .close ? .closed : .active))
        }
    }

    @Test func anInterruptedWriteIsNotAnEventAndBlocksNothing() throws {
        let fixture = try LedgerFixture(withVault: false)
        let genesis = fixture.ledger.state.genesis
        let directory = FileSystem.directory(of: "\(fixture.path)/\(Event.relativePath(of: genesis))")
        try DurableFile.write(Array("{\"half\":".utf8), to: "\(directory)/.\(genesis).json.tmp-0123456789ab")
        #expect(try fixture.reopen().state.eventCount == fixture.ledger.state.eventCount)
        // Any other stray name is refused, naming it.
        try DurableFile.write([1], to: "\(directory)/.stray")
        let error = expectEscrowError(.malformedFile) { _ = try fixture.reopen() }
        #expect(error?.message.contains(".stray does not belong in a store") == true)
    }
}

/// A request's body is kept as made (`Fold.madeBodies`), not decoded again by its dry run and its append: what the
/// fold uses must be exactly what decoding the event gives, for every action (a re-split adding a custodian carries
/// custody challenges, an open a recipient).
@Suite struct MadeRequestBodyTests {
    @Test func theKeptBodyIsWhatDecodingTheEventGives() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        let ledger = fixture.ledger
        let expires = UTCTime(secondsSinceEpoch: fixture.now().secondsSinceEpoch + 3_600)
        let requests: [(RequestAction, RequestTarget, RequestRecipient?)] = [
            (
                .open, try ledger.versionsTarget(vault: "acme", entries: ["root-password", "root-mfa"]),
                RequestRecipient(name: "alice (request key)", key: BoxKeyPair().publicKey)
            ),
            (.resplit, try ledger.resplitTarget(vault: "acme", remove: ["bob"], add: ["frank"], threshold: 2), nil),
            (.close, try ledger.resplitTarget(vault: "acme", remove: [], add: [], threshold: nil), nil),
        ]
        for (action, target, recipient) in requests {
            var target = target
            if action == .close { target.policy = nil }
            let event = try ledger.request(
                action,
                targets: [target],
                recipient: recipient,
                reason: "check \(action.rawValue) é",
                expiresAt: expires,
                by: fixture.person("alice"),
                at: fixture.now()
            )
            let kept = try #require(ledger.fold.madeBodies.result(RequestBody.self, of: event)).get()
            #expect(action != .resplit || !kept.challenges.isEmpty)
            #expect(kept == (try EventBody.decode(RequestBody.self, of: event)), "\(action)")
            try ledger.append([event])
            #expect(ledger.state.requests[event.id]?.body == kept)
            #expect(try fixture.reopen().state.requests[event.id]?.body == kept)
        }
    }
}
