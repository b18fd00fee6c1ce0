import Sodium
import Testing

@testable import Escrow

/// The quorum-action seam itself: the registry, each action's checks against the folded state, and the generic driver
/// on a batch of one.
@Suite struct QuorumActionTests {
    // MARK: Registry

    @Test func theRegistryMapsEveryActionKindOfTheFormat() {
        // (Values are computed outside #expect: the macro's expansion over existential metatypes crashes Swift 6.3.)
        let kinds = RequestAction.allCases.map { QuorumActions.action(for: $0).kind }
        let registered = QuorumActions.all.map { $0.kind }
        #expect(kinds == RequestAction.allCases)
        #expect(registered == RequestAction.allCases)
        #expect(RequestAction.allCases.map(\.rawValue) == ["open", "release", "resplit", "close", "reopen"])
    }

    @Test func eachActionSaysWhatItsApprovalsCarry() {
        let payloads = RequestAction.allCases.map { QuorumActions.action(for: $0).payload }
        let byRequester = RequestAction.allCases.filter { QuorumActions.action(for: $0).isExecutedByRequester }
        #expect(payloads == [.shares, .shares, .contributions, .nothing, .nothing])
        #expect(RequestAction.allCases.filter(\.carriesShares) == [.open, .release])
        #expect(byRequester == [.open])
        #expect(ApprovalPayload.shares.allows(shares: true, contributions: false))
        #expect(!ApprovalPayload.shares.allows(shares: false, contributions: true))
        #expect(ApprovalPayload.contributions.allows(shares: false, contributions: true))
        #expect(!ApprovalPayload.contributions.allows(shares: true, contributions: false))
        #expect(ApprovalPayload.nothing.allows(shares: false, contributions: false))
        #expect(!ApprovalPayload.nothing.allows(shares: true, contributions: false))
        #expect(!ApprovalPayload.nothing.allows(shares: false, contributions: true))
    }

    // MARK: Checks against the folded state

    /// The refusal `action` gives `target` against `vault` (nil when it accepts it).
    private func refusal(
        _ action: any QuorumAction.Type,
        _ target: RequestTarget,
        of vault: VaultState,
        force: Bool = false,
        in fixture: LedgerFixture
    ) -> String? {
        do {
            try action.check(target, of: vault, force: force, in: fixture.ledger.fold)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func versionActionsRefuseABadTargetWithTheirMessage() throws {
        let fixture = try LedgerFixture()
        let vault = try fixture.ledger.vault(named: "acme")
        let good = try fixture.ledger.versionsTarget(vault: "acme", entries: ["root-password"])
        let bare = RequestTarget(vault: vault.reference, generation: vault.generation)
        var withPolicy = good
        withPolicy.policy = vault.policy
        var twice = good
        twice.versions += good.versions
        let unknown = RequestTarget(
            vault: vault.reference,
            generation: vault.generation,
            versions: [[UInt8](repeating: 7, count: 32)]
        )
        #expect(refusal(OpenAction.self, good, of: vault, in: fixture) == nil)
        #expect(refusal(OpenAction.self, withPolicy, of: vault, in: fixture) == "an open request carries no policy")
        // The fold's message since v2, kept byte for byte (its article is chosen for "open").
        #expect(
            refusal(ReleaseAction.self, withPolicy, of: vault, in: fixture) == "an release request carries no policy"
        )
        #expect(refusal(OpenAction.self, bare, of: vault, in: fixture) == "no credential version of 'acme' is named")
        #expect(refusal(ReleaseAction.self, twice, of: vault, in: fixture) == "a version is named twice")
        #expect(
            refusal(OpenAction.self, unknown, of: vault, in: fixture) == "'acme' has no version \(unknown.versions[0])"
        )
        var closed = vault
        closed.status = .closed
        #expect(
            refusal(OpenAction.self, good, of: closed, in: fixture)
                == "'acme' is closed (an open must be forced, with a recorded reason)"
        )
        #expect(refusal(OpenAction.self, good, of: closed, force: true, in: fixture) == nil)
        #expect(refusal(ReleaseAction.self, good, of: closed, in: fixture) == nil)
        var released = vault
        released.status = .released
        #expect(refusal(ReleaseAction.self, good, of: released, in: fixture) == "'acme' is released")
    }

    @Test func reshareRefusesABadTargetWithItsMessage() throws {
        let fixture = try LedgerFixture()
        let vault = try fixture.ledger.vault(named: "acme")
        let good = try fixture.ledger.resplitTarget(vault: "acme", remove: ["erin"], add: [], threshold: nil)
        var withVersions = good
        withVersions.versions = try fixture.ledger.versionsTarget(vault: "acme", entries: []).versions
        var noPolicy = good
        noPolicy.policy = nil
        var stranger = good
        stranger.policy?.custodians[0].name = "mallory"
        #expect(refusal(ReshareAction.self, good, of: vault, in: fixture) == nil)
        #expect(refusal(ReshareAction.self, withVersions, of: vault, in: fixture) == "a re-split names no versions")
        #expect(refusal(ReshareAction.self, noPolicy, of: vault, in: fixture) == "a re-split needs the new policy")
        #expect(
            refusal(ReshareAction.self, stranger, of: vault, in: fixture)
                == "'mallory' in the policy is not a current custodian"
        )
        var released = vault
        released.status = .released
        #expect(refusal(ReshareAction.self, good, of: released, in: fixture) == "'acme' is released")
        #expect(ReshareAction.addedCustodians(good, of: vault).isEmpty)
    }

    @Test func statusActionsRefuseABadTargetWithTheirMessage() throws {
        let fixture = try LedgerFixture()
        let vault = try fixture.ledger.vault(named: "acme")
        let bare = RequestTarget(vault: vault.reference, generation: vault.generation)
        let withVersions = try fixture.ledger.versionsTarget(vault: "acme", entries: [])
        var closed = vault
        closed.status = .closed
        #expect(refusal(CloseAction.self, bare, of: vault, in: fixture) == nil)
        #expect(refusal(ReopenAction.self, bare, of: closed, in: fixture) == nil)
        #expect(
            refusal(CloseAction.self, withVersions, of: vault, in: fixture)
                == "a close request names neither versions nor a policy"
        )
        #expect(
            refusal(ReopenAction.self, withVersions, of: closed, in: fixture)
                == "a reopen request names neither versions nor a policy"
        )
        #expect(refusal(CloseAction.self, bare, of: closed, in: fixture) == "'acme' is closed")
        #expect(refusal(ReopenAction.self, bare, of: vault, in: fixture) == "'acme' is active")
    }

    @Test func eachActionCountsItsOwnApprovers() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        let vault = try fixture.ledger.vault(named: "acme")
        let frank = fixture.person("frank").publicIdentity.signingKey
        let bob = fixture.person("bob").publicIdentity.signingKey
        let versions = try fixture.ledger.versionsTarget(vault: "acme", entries: ["root-mfa"])
        let resplit = try fixture.ledger.resplitTarget(vault: "acme", remove: [], add: ["frank"], threshold: nil)
        let bare = RequestTarget(vault: vault.reference, generation: vault.generation)
        for action in QuorumActions.all {
            let target = action.payload == .shares ? versions : action.payload == .contributions ? resplit : bare
            let counted = [bob, frank].map { action.isApprover($0, of: target, in: vault) }
            #expect(counted == [true, false], "\(action.kind)")
        }
        #expect(ReshareAction.addedCustodians(resplit, of: vault) == [frank])
    }

    @Test func quorumChecksNameWhatIsShort() throws {
        let fixture = try LedgerFixture()
        let vault = try fixture.ledger.vault(named: "acme")
        let target = try fixture.ledger.versionsTarget(vault: "acme", entries: ["root-password"])
        let two = Set(["alice", "bob"].map { fixture.person($0).publicIdentity.signingKey })
        let three = two.union([fixture.person("carol").publicIdentity.signingKey])
        func refusal(_ action: any QuorumAction.Type, _ approvers: Set<[UInt8]>) -> String? {
            do {
                try action.checkQuorum(target, of: vault, approvers: approvers)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(refusal(OpenAction.self, two) == "root-password (acme) has 2 of the 3 holder approvals it needs")
        #expect(refusal(ReleaseAction.self, two) == "'acme' has 2 of the 3 approvals it needs")
        #expect(refusal(CloseAction.self, two) == "'acme' has 2 of the 3 approvals it needs")
        for action in QuorumActions.all {
            let problem = refusal(action, three)
            #expect(problem == nil, "\(action.kind)")
        }
    }

    // MARK: The driver on a batch of one

    @Test func theDriverMakesTheSameEventsForABatchOfOne() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let vault = try ledger.vault(named: "acme")
        let target = RequestTarget(vault: vault.reference, generation: vault.generation)
        let request = try ledger.request(
            .close,
            targets: [target],
            recipient: nil,
            reason: "contract ended",
            expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        let body = try EventBody.decode(RequestBody.self, of: request)
        #expect(body.action == .close && body.targets == [target] && body.recipient == nil && body.challenges.isEmpty)
        try ledger.append([request])
        var approvals: [Event] = []
        for name in ["bob", "carol", "dave"] {
            let approval = try ledger.approve(
                request.id,
                by: fixture.person(name),
                at: fixture.now(),
                random: &fixture.random
            )
            #expect(
                try EventBody.decode(ApprovalBody.self, of: approval)
                    == ApprovalBody(request: request.id.bytes, ephemeralKey: nil, shares: [], contributions: [])
            )
            try ledger.append([approval])
            approvals.append(approval)
        }
        let execution = try ledger.execute(request.id, by: fixture.person("alice"), at: fixture.now())
        #expect(
            try EventBody.decode(ExecutionBody.self, of: execution)
                == ExecutionBody(request: request.id.bytes, approvals: approvals.map(\.id.bytes))
        )
        try ledger.append([execution])
        #expect(ledger.state.vault(named: "acme")?.status == .closed)
        #expect(ledger.state.findings.isEmpty)
    }

    @Test func aBatchOfTwoDoesToEachVaultWhatABatchOfOneDoes() throws {
        let fixture = try LedgerFixture()
        try fixture.createVault("beta", threshold: 2, custodians: ["alice", "bob", "carol"])
        let ledger = fixture.ledger
        let targets = try ["acme", "beta"].map {
            let vault = try ledger.vault(named: $0)
            return RequestTarget(vault: vault.reference, generation: vault.generation)
        }
        let request = try ledger.request(
            .close,
            targets: targets,
            recipient: nil,
            reason: "contract ended",
            expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try ledger.append([request])
        for name in ["alice", "bob"] {
            try ledger.append([
                try ledger.approve(request.id, by: fixture.person(name), at: fixture.now(), random: &fixture.random)
            ])
        }
        let short = expectEscrowError(.quorumNotMet) {
            _ = try ledger.execute(request.id, by: fixture.person("alice"), at: fixture.now())
        }
        #expect(short?.message == "'acme' has 2 of the 3 approvals it needs")
        let state = try #require(ledger.state.requests[request.id])
        let tallies = targets.map { target in
            ledger.state.vault(target.vault).map { state.tally(of: target, in: $0) } ?? []
        }
        #expect(tallies.map { $0.map(\.approvals) } == [[2], [2]])
        #expect(tallies.map { $0.map(\.needed) } == [[3], [2]])
        try ledger.append([
            try ledger.approve(request.id, by: fixture.person("carol"), at: fixture.now(), random: &fixture.random)
        ])
        try ledger.append([try ledger.execute(request.id, by: fixture.person("alice"), at: fixture.now())])
        #expect(ledger.state.vault(named: "acme")?.status == .closed)
        #expect(ledger.state.vault(named: "beta")?.status == .closed)
        #expect(ledger.state.findings.isEmpty)
    }

    @Test func theDriverSealsOneShareRecordPerHeldVersionOfABatchOfOne() throws {
        let fixture = try LedgerFixture()
        let (request, _) = try fixture.approvedOpen("acme", entries: [], approvers: [])
        let approval = try fixture.ledger.approve(
            request,
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random
        )
        let body = try EventBody.decode(ApprovalBody.self, of: approval)
        let target = try #require(fixture.ledger.state.requests[request]?.body.targets.first)
        #expect(body.shares.map(\.version) == target.versions)
        #expect(body.contributions.isEmpty && body.ephemeralKey?.bytes.count == 32)
        let bobX = try #require(fixture.ledger.vault(named: "acme").policy.custodians.first { $0.name == "bob" }?.x)
        #expect(body.shares.allSatisfy { $0.components.allSatisfy { $0.x == bobX && $0.digest == nil } })
    }

    @Test func theDriverChallengesOnlyTheCustodiansAReshareAdds() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        let target = try fixture.ledger.resplitTarget(vault: "acme", remove: ["erin"], add: ["frank"], threshold: nil)
        let request = try fixture.ledger.request(
            .resplit,
            targets: [target],
            recipient: nil,
            reason: "custodian change",
            expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        let body = try EventBody.decode(RequestBody.self, of: request)
        #expect(body.challenges.map(\.key.bytes) == [fixture.person("frank").publicIdentity.signingKey])
    }

    @Test func theDriverRefusesToExecuteAnOpenForTheRequester() throws {
        let fixture = try LedgerFixture()
        let (request, _) = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: ["bob"])
        let error = expectEscrowError(.invalidInput) {
            _ = try fixture.ledger.execute(request, by: fixture.person("bob"), at: fixture.now())
        }
        #expect(error?.message == "an open is executed by its requester with the request key")
    }

    // MARK: Progress

    @Test func theTallyCountsVersionsForOpensAndTheVaultForReshares() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        let (open, _) = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: ["bob"])
        let request = try #require(fixture.ledger.state.requests[open])
        let vault = try fixture.ledger.vault(named: "acme")
        let target = try #require(request.body.targets.first)
        let version = try #require(vault.version(target.versions[0].bytes))
        #expect(
            request.tally(of: target, in: vault)
                == [QuorumTally(subject: .version(version), approvals: 1, needed: 3, missingAcknowledgements: [])]
        )
        #expect(request.canBeApproved(by: fixture.person("carol").publicIdentity.signingKey, in: fixture.ledger.state))
        #expect(!request.canBeApproved(by: fixture.person("frank").publicIdentity.signingKey, in: fixture.ledger.state))

        let resplit = try fixture.ledger.request(
            .resplit,
            targets: [try fixture.ledger.resplitTarget(vault: "acme", remove: [], add: ["frank"], threshold: nil)],
            recipient: nil,
            reason: "custodian change",
            expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try fixture.ledger.append([resplit])
        let pending = try #require(fixture.ledger.state.requests[resplit.id])
        let resplitTarget = try #require(pending.body.targets.first)
        #expect(
            pending.tally(of: resplitTarget, in: vault)
                == [QuorumTally(subject: .vault, approvals: 0, needed: 3, missingAcknowledgements: ["frank"])]
        )
    }
}
