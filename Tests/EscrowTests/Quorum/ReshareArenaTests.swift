import Sodium
import Testing

@testable import Escrow

/// The re-split approval in guarded arenas (``ReshareContributor``) against the one-by-one path it replaced
/// (``ReshareAction/contributeOneByOne(_:as:random:)``): the same sub-shares, digests and failures.
@Suite struct ReshareArenaTests {
    /// A store whose vault `acme` holds 72 versions (more than one worker's batch) re-split twice, so that a third
    /// re-split consolidates a level (frank holds two unresolved levels) and a plain holder sub-shares one.
    func store() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        let batch = try fixture.ledger.depositBatch(
            (0..<70).map {
                Ledger.BatchDeposit(value: secure("value-\($0)"), vault: "acme", entry: "e\($0)", kind: .password)
            },
            by: fixture.person("alice"),
            at: fixture.now(),
            random: &fixture.random
        )
        try fixture.ledger.append(batch)
        try fixture.resplit("acme", remove: ["erin"], add: ["frank"], approvers: ["alice", "bob", "carol", "dave"])
        try fixture.resplit("acme", remove: ["dave"], add: ["erin"], approvers: ["alice", "bob", "carol", "frank"])
        return fixture
    }

    /// The approver `name` of a new re-split request (carol leaves, dave comes back), ready to contribute.
    func approver(_ name: String, in fixture: LedgerFixture) throws -> (QuorumApprover, [QuorumTarget]) {
        let ledger = fixture.ledger
        let request = try ledger.request(
            .resplit,
            targets: [try ledger.resplitTarget(vault: "acme", remove: ["carol"], add: ["dave"], threshold: nil)],
            recipient: nil,
            reason: "custodian change",
            expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try ledger.append([request])
        let state = try #require(ledger.state.requests[request.id])
        let person = fixture.person(name)
        let approver = QuorumApprover(
            ledger: ledger,
            request: state,
            key: person.publicIdentity.signingKey,
            boxKeys: try person.boxKeyPair(),
            sealer: ShareSealer()
        )
        let targets = try state.body.targets.map { QuorumTarget(target: $0, vault: try ledger.vault(named: "acme")) }
        return (approver, targets)
    }

    /// What a contribution publishes apart from the AEAD's random nonces: version, levels, and per sub-share its
    /// holder, path and digest (which binds the value).
    func publicParts(_ contents: ApprovalContents) -> [[String]] {
        contents.contributions.map { contribution in
            [contribution.version.description, contribution.levels.map(\.description).joined(separator: ",")]
                + contribution.components.map {
                    "\($0.x) \($0.path) \($0.digest?.description ?? "-")"
                }
        }
    }

    @Test(arguments: ["frank", "alice"])
    func theArenaPathContributesExactlyWhatTheOneByOnePathDoes(name: String) throws {
        let fixture = try store()
        let (approver, targets) = try approver(name, in: fixture)
        var arenaRandom = try deterministicRandom(42)
        var referenceRandom = try deterministicRandom(42)
        let arena = try ReshareAction.contribute(targets, as: approver, random: &arenaRandom)
        let reference = try ReshareAction.contributeOneByOne(targets, as: approver, random: &referenceRandom)
        #expect(arena.contributions.count == 72)
        #expect(publicParts(arena) == publicParts(reference))
        // frank's versions carried two unresolved levels: one was consolidated (the plan keeps one).
        if name == "frank" {
            #expect(arena.contributions.allSatisfy { $0.levels.count == 1 })
            #expect(arena.contributions.allSatisfy { $0.components.allSatisfy { $0.path.count == 2 } })
        }
        // Both consumed exactly the same random bytes.
        var left = [UInt8](repeating: 0, count: 16)
        var right = [UInt8](repeating: 0, count: 16)
        left.withUnsafeMutableBytes { arenaRandom.fill($0) }
        right.withUnsafeMutableBytes { referenceRandom.fill($0) }
        #expect(left == right)
        // A different generator gives different sub-shares (the comparison above can fail).
        var other = try deterministicRandom(43)
        let different = try ReshareAction.contribute(targets, as: approver, random: &other)
        #expect(publicParts(different) != publicParts(arena))
    }

    @Test func theArenaSubSharesOpenToTheNewHolders() throws {
        let fixture = try store()
        let (approver, targets) = try approver("frank", in: fixture)
        var random = try deterministicRandom(42)
        let contents = try ReshareAction.contribute(targets, as: approver, random: &random)
        let dave = try fixture.person("dave").boxKeyPair()
        let opener = try ShareOpener(boxKeys: dave, ephemeralPublicKey: approver.sealer.ephemeralPublicKey)
        let vault = try fixture.ledger.vault(named: "acme")
        let daveX = try #require(targets[0].target.policy?.custodians.first { $0.name == "dave" }?.x)
        let held = fixture.ledger.heldShares
        var checked = 0
        for contribution in contents.contributions {
            let version = try #require(vault.allVersions.first { $0.id == contribution.version.bytes })
            let binding = try held.binding(of: version, in: vault.reference)
            for component in contribution.components where component.x == daveX {
                let position = try SharePosition(
                    binding: binding,
                    generation: vault.generation + 1,
                    resplit: approver.request.event.bytes,
                    path: component.path,
                    x: daveX
                )
                let value = try opener.open(component.sealed.bytes, position: position)
                #expect(
                    ComponentDigest.matches(value: value, position: position, digest: component.digest?.bytes ?? [])
                )
                checked += 1
            }
        }
        // One sub-share per version and contributor of the level frank kept (the oldest was consolidated).
        #expect(checked == 72 * 4)
    }

    /// Runs both paths on `targets` as `approver` and returns their failures.
    func failures(_ approver: QuorumApprover, _ targets: [QuorumTarget]) throws -> (EscrowError?, EscrowError?) {
        var arenaRandom = try deterministicRandom(42)
        var referenceRandom = try deterministicRandom(42)
        func failure(_ body: () throws(EscrowError) -> Void) -> EscrowError? {
            do {
                try body()
                return nil
            } catch {
                return error
            }
        }
        let arena = failure { () throws(EscrowError) in
            _ = try ReshareAction.contribute(targets, as: approver, random: &arenaRandom)
        }
        let reference = failure { () throws(EscrowError) in
            _ = try ReshareAction.contributeOneByOne(targets, as: approver, random: &referenceRandom)
        }
        return (arena, reference)
    }

    @Test func aFailureNamesTheSameVersionAndAuthorAsTheOneByOnePath() throws {
        let fixture = try store()
        let (approver, targets) = try approver("frank", in: fixture)
        var vault = targets[0].vault
        let versions = vault.allVersions
        let frankKey = fixture.person("frank").publicIdentity.signingKey
        // Version 10: a resolved subset that is not a subset of its level (its preparation fails).
        var tenth = versions[10]
        tenth.levels[0].resolved = [250, 251, 252]
        vault.update(tenth)
        let prepareOnly = [QuorumTarget(target: targets[0].target, vault: vault)]
        let (arenaPrepare, referencePrepare) = try failures(approver, prepareOnly)
        #expect(arenaPrepare != nil && arenaPrepare?.code == referencePrepare?.code)
        #expect(arenaPrepare?.message == referencePrepare?.message)
        // Version 60 also points frank at another holder's sub-shares (its opening fails): in one batch an opening
        // failure is reported first, as before.
        var sixtieth = versions[60]
        let frankX = try #require(sixtieth.x(ofHolder: frankKey))
        let otherX = try #require(sixtieth.holders.keys.first { $0 != frankX })
        let other = try #require(sixtieth.holders[otherX])
        sixtieth.holders[otherX] = frankKey
        sixtieth.holders[frankX] = other
        vault.update(sixtieth)
        let both = [QuorumTarget(target: targets[0].target, vault: vault)]
        let (arenaOpen, referenceOpen) = try failures(approver, both)
        #expect(arenaOpen?.code == .badShare && referenceOpen?.code == .badShare)
        #expect(arenaOpen?.message == referenceOpen?.message)
        #expect(arenaOpen?.message.contains(sixtieth.entry) == true)
        // Another approver's keys: the first version fails, naming its author, on both paths.
        let wrong = QuorumApprover(
            ledger: approver.ledger,
            request: approver.request,
            key: approver.key,
            boxKeys: BoxKeyPair(),
            sealer: ShareSealer()
        )
        let (arenaKeys, referenceKeys) = try failures(wrong, targets)
        #expect(arenaKeys?.code == .badShare)
        #expect(arenaKeys?.message == referenceKeys?.message)
    }

    @Test func openerKeysInAnArenaOpenWhatAShareOpenerOpensEvenWhenTheArenaIsRecycled() throws {
        try Sodium.initialize()
        let holder = BoxKeyPair()
        let binding = try VersionBinding(
            storeID: [UInt8](repeating: 1, count: 16),
            vaultID: [UInt8](repeating: 2, count: 16),
            vaultName: "acme",
            entry: "root-password",
            versionID: [UInt8](repeating: 3, count: 16),
            kind: "password"
        )
        let position = try SharePosition(binding: binding, generation: 1, x: 4)
        // Three sealers (three ephemeral keys) and room for one key: the arena is wiped and reused twice.
        let keys = OpenerKeys(boxKeys: holder, capacity: 1)
        for round in 0..<2 {
            for index in 0..<3 {
                let sealer = ShareSealer()
                let value = SecureBytes.random(count: 32)
                let sealed = try sealer.seal(value, position: position, recipientBoxKey: holder.publicKey)
                let reference = try ShareOpener(boxKeys: holder, ephemeralPublicKey: sealer.ephemeralPublicKey)
                    .open(sealed, position: position)
                let opened = SecureBytes(count: 32)
                let key = try keys.key(for: sealer.ephemeralPublicKey)
                try key.withUnsafeBytes { (key) throws(EscrowError) in
                    try opened.withUnsafeMutableBytes { (output) throws(EscrowError) in
                        try ShareOpener.open(sealed, position: position, rawKey: key, into: output)
                    }
                }
                #expect(opened == value && reference == value, "round \(round), sealer \(index)")
                // Another position is refused by the raw form too (associated data).
                let moved = try SharePosition(binding: binding, generation: 1, x: 5)
                let refused = SecureBytes(count: 32)
                #expect(throws: EscrowError.self) {
                    try key.withUnsafeBytes { (key) throws(EscrowError) in
                        try refused.withUnsafeMutableBytes { (output) throws(EscrowError) in
                            try ShareOpener.open(sealed, position: moved, rawKey: key, into: output)
                        }
                    }
                }
                #expect(refused == SecureBytes(count: 32))
            }
        }
    }

    @Test func aPositionEncodesItsFieldsExactlyAsFieldByField() throws {
        for round in 0..<32 {
            let binding = try VersionBinding(
                storeID: Sodium.randomBytes(16),
                vaultID: Sodium.randomBytes(16),
                vaultName: "acme",
                entry: "entry-\(round)",
                versionID: Sodium.randomBytes(16),
                kind: "password"
            )
            let dealt = round % 2 == 0
            let position = try SharePosition(
                binding: binding,
                generation: Int64(round) - 3,
                resplit: dealt ? [] : Sodium.randomBytes(32),
                path: dealt ? [] : [UInt8(round % 7 + 1), 9],
                x: UInt8(round + 1)
            )
            var expected = BindingEncoder(context: "escrow-share-seal-v2")
            expected.append(binding.storeID)
            expected.append(binding.vaultID)
            expected.append(binding.entry)
            expected.append(binding.versionID)
            expected.append(UInt64(bitPattern: position.generation))
            expected.append(position.resplit)
            expected.append(position.path)
            expected.append([position.x])
            #expect(position.associatedData == expected.bytes)
            #expect(position.encoder(context: "escrow-share-seal-v2").bytes == expected.bytes)
        }
    }
}
