import Shamir
import Sodium
import Testing

@testable import Escrow

/// Issue "Trust model, part 2": what departed custodians, requesters and approvers can and cannot do with the values
/// the store publishes. Each test models the strongest attacker the trust model admits and must fail if a value
/// helps beyond what the model promises.
@Suite struct LedgerRevocationTests {
    /// One value an attacker opened: where it sits and its bytes (test data: the attacker holds it in the clear).
    struct Opened {
        var version: [UInt8]
        var generation: Int64
        var resplit: [UInt8]
        var x: UInt8
        var path: [UInt8]
        var value: [UInt8]
    }

    /// Every sealed share value anywhere in the store (dealt shares in deposits, sub-shares in re-split approvals)
    /// that one of `keys` opens, at the position it was sealed for.
    static func openEverything(in ledger: Ledger, vault name: String, with keys: [BoxKeyPair]) throws -> [Opened] {
        let vault = try #require(ledger.state.vault(named: name))
        let held = HeldShares(graph: ledger.graph, state: ledger.state)
        var versions: [[UInt8]: VersionState] = [:]
        for version in vault.allVersions { versions[version.id] = version }
        var result: [Opened] = []
        func attempt(
            _ records: [SealedComponentRecord],
            ephemeral: [UInt8],
            version: VersionState,
            generation: Int64,
            resplit: [UInt8]
        ) throws {
            for key in keys {
                let opener = try ShareOpener(boxKeys: key, ephemeralPublicKey: ephemeral)
                for record in records {
                    let position = try SharePosition(
                        binding: try held.binding(of: version, in: vault.reference),
                        generation: generation,
                        resplit: resplit,
                        path: record.path,
                        x: record.x
                    )
                    guard let value = try? opener.open(record.sealed.bytes, position: position) else { continue }
                    result.append(
                        Opened(
                            version: version.id,
                            generation: generation,
                            resplit: resplit,
                            x: record.x,
                            path: record.path,
                            value: value.withUnsafeBytes { Array($0) }
                        )
                    )
                }
            }
        }
        for id in ledger.graph.canonicalOrder {
            let event = try #require(ledger.graph.event(id))
            switch event.type {
            case EventType.deposit.rawValue:
                let body = try EventBody.decode(DepositBody.self, of: event)
                let version = try #require(versions[body.version.bytes])
                try attempt(
                    body.shares,
                    ephemeral: body.ephemeralKey.bytes,
                    version: version,
                    generation: body.generation,
                    resplit: []
                )
            case EventType.approval.rawValue:
                let body = try EventBody.decode(ApprovalBody.self, of: event)
                guard let ephemeral = body.ephemeralKey else { continue }
                let request = try #require(ledger.state.requests[try EventID(bytes: body.request.bytes)])
                let generation = try #require(request.body.targets.first).generation + 1
                for contribution in body.contributions {
                    let version = try #require(versions[contribution.version.bytes])
                    try attempt(
                        contribution.components,
                        ephemeral: ephemeral.bytes,
                        version: version,
                        generation: generation,
                        resplit: body.request.bytes
                    )
                }
            default:
                continue
            }
        }
        return result
    }

    /// Every value a holder can derive from its components of one sharing: each re-split level (newest first) is
    /// consolidated with every `threshold`-subset of its contributors.
    static func derivations(of components: [[UInt8]: [UInt8]], threshold: Int) throws -> [[UInt8]] {
        guard let length = components.keys.first?.count, length > 0 else { return Array(components.values) }
        var byPrefix: [[UInt8]: [UInt8: [UInt8]]] = [:]
        for (path, value) in components { byPrefix[Array(path.dropLast()), default: [:]][path[length - 1]] = value }
        var common = Set(byPrefix.values.first?.keys.map { $0 } ?? [])
        for group in byPrefix.values { common.formIntersection(group.keys) }
        var result: [[UInt8]] = []
        for subset in Rebuilder.subsets(of: common.sorted(), size: threshold) {
            var consolidated: [[UInt8]: [UInt8]] = [:]
            for (prefix, group) in byPrefix {
                consolidated[prefix] = try Shamir.interpolate(
                    at: 0,
                    try subset.map { x in Share(x: x, y: try #require(group[x])) }
                )
            }
            result += try derivations(of: consolidated, threshold: threshold)
        }
        return result
    }

    /// Tries every way to rebuild `version`'s key from `opened`: per holder x, every derivation of every sharing it
    /// appears in; then every `threshold` of distinct x, any sharing mixed in. Returns the key if one matches the
    /// commitment.
    static func rebuild(_ version: VersionState, binding: VersionBinding, threshold: Int, from opened: [Opened])
        throws -> SecureBytes?
    {
        var candidates: [UInt8: [[UInt8]]] = [:]
        var sharings: [String: [UInt8: [[UInt8]: [UInt8]]]] = [:]
        for value in opened where value.version == version.id {
            sharings["\(value.generation)/\(Hex.encode(value.resplit))", default: [:]][value.x, default: [:]][
                value.path
            ] = value.value
        }
        for holders in sharings.values {
            for (x, components) in holders {
                candidates[x, default: []] += try derivations(of: components, threshold: threshold)
            }
        }
        let xs = candidates.keys.sorted()
        guard xs.count >= threshold else { return nil }
        for subset in Rebuilder.subsets(of: xs, size: threshold) {
            var choices: [[Share]] = [[]]
            for x in subset {
                choices = choices.flatMap { prefix in (candidates[x] ?? []).map { prefix + [Share(x: x, y: $0)] } }
            }
            for shares in choices {
                let key = SecureBytes(copying: try Shamir.combine(shares))
                if KeyCommitment.matches(key: key, binding: binding, commitment: version.commitment) { return key }
            }
        }
        return nil
    }

    /// "The departed custodians of three successive re-splits together open none either": bob, carol and dave leave
    /// one after the other (frank, gina and hank join); with all three identity keys, every value sealed to them
    /// anywhere in the store rebuilds no version deposited after the first re-split. The versions deposited before
    /// it do open with their three old dealt shares: re-split gives availability, not revocation.
    @Test func departedCustodiansOfThreeResplitsTogetherOpenNoLaterVersion() throws {
        let fixture = try LedgerFixture()
        for name in ["frank", "gina", "hank"] { try fixture.addMember(name, role: .custodian) }
        try fixture.resplit("acme", remove: ["bob"], add: ["frank"], approvers: ["alice", "carol", "dave", "erin"])
        try fixture.deposit("after-bob", into: "acme", entry: "after-1", kind: .password)
        try fixture.resplit("acme", remove: ["carol"], add: ["gina"], approvers: ["carol", "dave", "erin", "frank"])
        try fixture.deposit("after-carol", into: "acme", entry: "after-2", kind: .password)
        try fixture.resplit("acme", remove: ["dave"], add: ["hank"], approvers: ["dave", "alice", "frank", "gina"])
        try fixture.deposit("after-dave", into: "acme", entry: "after-3", kind: .password)
        for name in ["bob", "carol", "dave"] { try fixture.removeMember(name) }
        #expect(fixture.ledger.state.violations.isEmpty)

        let attackers = try ["bob", "carol", "dave"].map { try fixture.person($0).boxKeyPair() }
        let opened = try Self.openEverything(in: fixture.ledger, vault: "acme", with: attackers)
        let vault = try #require(fixture.ledger.state.vault(named: "acme"))
        #expect(vault.generation == 4)
        let held = HeldShares(graph: fixture.ledger.graph, state: fixture.ledger.state)
        // The attackers did open values: the old dealt shares, and sub-shares sealed to carol and dave before they
        // left (so the rebuild below is a real attempt, not an empty one).
        #expect(Set(opened.map(\.generation)) == [1, 2, 3])
        for entry in ["after-1", "after-2", "after-3"] {
            let version = try #require(vault.entries[entry]?.last)
            let binding = try held.binding(of: version, in: vault.reference)
            let key = try Self.rebuild(version, binding: binding, threshold: 3, from: opened)
            #expect(key == nil, "the departed custodians rebuilt \(entry)")
            for generation in Int64(1)...4 {
                let holders = Set(opened.filter { $0.version == version.id && $0.generation == generation }.map(\.x))
                #expect(holders.count < 3, "\(entry): \(holders.count) departed holders at generation \(generation)")
            }
        }
        // Availability, not revocation: bob, carol and dave held three dealt shares of every earlier version.
        for (entry, value) in [("root-password", "s3cret-root-password"), ("root-mfa", "JBSWY3DPEHPK3PXP")] {
            let version = try #require(vault.entries[entry]?.last)
            let binding = try held.binding(of: version, in: vault.reference)
            let key = try #require(try Self.rebuild(version, binding: binding, threshold: 3, from: opened))
            let deposit = try EventBody.decode(
                DepositBody.self,
                of: try #require(fixture.ledger.graph.event(version.deposit))
            )
            #expect(string(try ValueSeal.open(deposit.sealedValue.bytes, key: key, binding: binding)) == value)
        }
        // The current custodians still open everything.
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password", "after-1", "after-2", "after-3"],
            approvers: ["alice", "erin", "hank"]
        )
        #expect(
            try fixture.open(request, keys: keys) == [
                "root-password": "s3cret-root-password", "after-1": "after-bob", "after-2": "after-carol",
                "after-3": "after-dave",
            ]
        )
    }

    /// The request key pair is the only way to the approvals' values, the ledger keeps no reference to it, and once
    /// the requester wipes it the same approvals open nothing (the CLI deletes its request key file: see
    /// `UnlockFlowCLITests` and the bulk end-to-end test).
    @Test func aWipedRequestKeyOpensNothingAgain() throws {
        let fixture = try LedgerFixture()
        weak var secret: SecureBytes?
        weak var value: SecureBytes?
        do {
            let (request, keys) = try fixture.approvedOpen(
                "acme",
                entries: ["root-password"],
                approvers: ["bob", "carol", "dave"]
            )
            secret = keys.secretKey
            let (versions, event) = try fixture.ledger.open(
                request,
                requestKeys: keys,
                by: fixture.person("alice"),
                at: fixture.now()
            )
            try fixture.ledger.append([event])
            #expect(versions.map { string($0.value) } == ["s3cret-root-password"])
            value = try #require(versions.first).value
            // The requester erases the key pair after combining; the same approvals then open nothing.
            keys.secretKey.wipe()
            #expect(keys.secretKey.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
            let state = try #require(fixture.ledger.state.requests[request])
            let approvals = state.approvals.values.compactMap { fixture.ledger.graph.event($0) }
            #expect(approvals.count == 3)
            let vault = try #require(fixture.ledger.state.vault(named: "acme"))
            let version = try #require(vault.entries["root-password"]?.last)
            var used: Set<EventID> = []
            #expect(throws: EscrowError.self) {
                _ = try VersionRebuilder(held: HeldShares(graph: fixture.ledger.graph, state: fixture.ledger.state))
                    .rebuild(version, in: vault.reference, approvals: approvals, keys: keys, used: &used)
            }
            #expect(used.isEmpty)
        }
        // Nothing the ledger built keeps the request's secret key or an opened value alive: once the caller drops
        // them they are freed (SecureBytes wipes on release).
        #expect(secret == nil)
        #expect(value == nil)
    }

    /// An approval of an open of credential A carries exactly A's components of its approver (count, version, x,
    /// paths), and nothing in the approvals of A rebuilds credential B, even with the request key.
    @Test func anApprovalOfOneCredentialCarriesNothingForAnother() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        try fixture.resplit("acme", remove: ["erin"], add: ["frank"], approvers: ["alice", "bob", "carol", "dave"])
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password"],
            approvers: ["bob", "carol", "frank"]
        )
        let vault = try #require(fixture.ledger.state.vault(named: "acme"))
        let a = try #require(vault.entries["root-password"]?.last)
        let b = try #require(vault.entries["root-mfa"]?.last)
        let held = HeldShares(graph: fixture.ledger.graph, state: fixture.ledger.state)
        let state = try #require(fixture.ledger.state.requests[request])
        let approvals = state.approvals.values.compactMap { fixture.ledger.graph.event($0) }
        #expect(approvals.count == 3)
        for approval in approvals {
            let body = try EventBody.decode(ApprovalBody.self, of: approval)
            let x = try #require(a.x(ofHolder: approval.author.key))
            #expect(body.contributions.isEmpty)
            #expect(body.shares.map(\.version.bytes) == [a.id])
            let records = try #require(body.shares.first).components
            let published = try held.published(a, x: x)
            #expect(records.count == published.count && published.count == 4, "\(approval.author.name)")
            #expect(records.allSatisfy { $0.x == x })
            #expect(Set(records.map(\.path)) == Set(published.map(\.record.path)))
            // Not one of them opens at any of B's positions of this approver.
            let opener = try ShareOpener(boxKeys: keys, ephemeralPublicKey: try #require(body.ephemeralKey).bytes)
            for record in records {
                for path in Set(published.map(\.record.path)) {
                    let position = try held.position(of: b, in: vault.reference, path: path, x: x)
                    #expect(throws: EscrowError.self) { _ = try opener.open(record.sealed.bytes, position: position) }
                }
            }
        }
        var used: Set<EventID> = []
        let error = expectEscrowError(.quorumNotMet) {
            _ = try VersionRebuilder(held: held).rebuild(
                b,
                in: vault.reference,
                approvals: approvals,
                keys: keys,
                used: &used
            )
        }
        #expect(error?.message == "root-mfa (acme): 0 of the 3 holder approvals it needs")
        #expect(try fixture.open(request, keys: keys) == ["root-password": "s3cret-root-password"])
    }

    /// Two executions of one re-split on two branches (both made on the same heads): the fold applies the first in
    /// canonical order, flags the second, and the vault advances one generation, not two.
    @Test func twoExecutionsOnTwoBranchesCountOnce() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        let request = try fixture.ledger.request(
            .resplit,
            targets: [try fixture.ledger.resplitTarget(vault: "acme", remove: ["bob"], add: ["frank"], threshold: nil)],
            recipient: nil,
            reason: "bob leaves",
            expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try fixture.ledger.append([request])
        try fixture.ledger.append([
            try fixture.ledger.acknowledgeCustody(
                of: request.id,
                by: fixture.person("frank"),
                at: fixture.now()
            )
        ])
        for name in ["alice", "carol", "dave", "erin"] {
            try fixture.ledger.append([
                try fixture.ledger.approve(
                    request.id,
                    by: fixture.person(name),
                    at: fixture.now(),
                    random: &fixture.random
                )
            ])
        }
        let first = try fixture.ledger.execute(request.id, by: fixture.person("alice"), at: fixture.now())
        let second = try fixture.ledger.execute(request.id, by: fixture.person("carol"), at: fixture.now())
        #expect(first.parents == second.parents)
        _ = try fixture.ledger.directory.write([first, second])
        let reopened = try fixture.reopen()
        let vault = try #require(reopened.state.vault(named: "acme"))
        #expect(vault.generation == 2)
        let (winner, loser) = first.id < second.id ? (first, second) : (second, first)
        #expect(reopened.state.requests[request.id]?.execution == winner.id)
        let notes = reopened.state.findings.filter { $0.event == loser.id }
        #expect(
            notes.map(\.message) == [
                "request \(request.id.short) was already executed by \(winner.id.short): this one counts for nothing"
            ]
        )
        #expect(reopened.state.findings.filter { $0.event == winner.id }.isEmpty)
        // The versions carry exactly one re-split level.
        #expect(vault.entries["root-password"]?.last?.levels.count == 1)
    }

    /// bob's approval of an open, with its values moved (to another version, path, batch or holder) or its sealing
    /// key broken, re-signed by bob: refused at open by the value's associated data, naming bob; with a third honest
    /// approval the credentials still open. Components moved to another holder are refused by the fold already.
    @Test(arguments: ["another version", "another path", "another batch", "another holder", "an unusable key"])
    func aValueMovedInsideAnApprovalIsRefusedNamingItsApprover(_ move: String) throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        try fixture.resplit("acme", remove: ["erin"], add: ["frank"], approvers: ["alice", "bob", "carol", "dave"])
        let bob = fixture.person("bob")
        // An earlier request gives bob a batch of values sealed under another ephemeral key.
        let (earlier, _) = try fixture.approvedOpen("acme", entries: ["root-password", "root-mfa"], approvers: ["bob"])
        let earlierApproval = try #require(
            fixture.ledger.state.requests[earlier]?.approvals[bob.publicIdentity.signingKey]
        )
        let earlierBody = try EventBody.decode(
            ApprovalBody.self,
            of: try #require(fixture.ledger.graph.event(earlierApproval))
        )
        let (request, keys) = try fixture.approvedOpen("acme", entries: ["root-password", "root-mfa"], approvers: [])
        let honest = try fixture.ledger.approve(request, by: bob, at: fixture.now(), random: &fixture.random)
        var body = try EventBody.decode(ApprovalBody.self, of: honest)
        #expect(body.shares.count == 2 && body.shares.allSatisfy { $0.components.count == 4 })
        switch move {
        case "another version":
            let moved = body.shares[0].components[0].sealed
            body.shares[0].components[0].sealed = body.shares[1].components[0].sealed
            body.shares[1].components[0].sealed = moved
        case "another path":
            let moved = body.shares[0].components[0].sealed
            body.shares[0].components[0].sealed = body.shares[0].components[1].sealed
            body.shares[0].components[1].sealed = moved
        case "another batch":
            body.shares[0].components[0].sealed = earlierBody.shares[0].components[0].sealed
        case "an unusable key":
            // A low-order point: no key agreement. Before the fix this refused the whole open, naming nobody.
            body.ephemeralKey = Base64Bytes([UInt8](repeating: 0, count: 32))
        default:
            let carolX = try #require(
                fixture.ledger.state.vault(named: "acme")?.policy
                    .custodian(withKey: fixture.person("carol").publicIdentity.signingKey)?.x
            )
            body.shares[0].components[0].x = carolX
        }
        let forged = try fixture.ledger.event(.approval, body: body, by: bob, at: fixture.now())
        if move == "another holder" {
            // Its shape gives it away without any key: the fold refuses it, so it never counts.
            let refused = expectEscrowError(.notAuthorized) { try fixture.ledger.append([forged]) }
            #expect(
                refused?.message.hasPrefix("the approval's components of root-") == true,
                "\(refused?.message ?? "")"
            )
            #expect(fixture.ledger.state.requests[request]?.approvals.isEmpty == true)
            return
        }
        try fixture.ledger.append([forged])
        for name in ["carol", "dave"] {
            try fixture.ledger.append([
                try fixture.ledger.approve(
                    request,
                    by: fixture.person(name),
                    at: fixture.now(),
                    random: &fixture.random
                )
            ])
        }
        // bob's and two honest approvals: the open is refused naming bob.
        let error = expectEscrowError(.badShare) {
            _ = try fixture.ledger.open(request, requestKeys: keys, by: fixture.person("alice"), at: fixture.now())
        }
        #expect(
            error?.message.hasPrefix("bob's approval of root-password (acme)") == true,
            "\(move): \(error?.message ?? "")"
        )
        // A third honest approval opens both credentials; bob's approval is left out wherever it was read.
        try fixture.ledger.append([
            try fixture.ledger.approve(
                request,
                by: fixture.person("frank"),
                at: fixture.now(),
                random: &fixture.random
            )
        ])
        let (versions, _) = try fixture.ledger.open(
            request,
            requestKeys: keys,
            by: fixture.person("alice"),
            at: fixture.now()
        )
        #expect(versions.map { string($0.value) } == ["s3cret-root-password", "JBSWY3DPEHPK3PXP"])
        let password = try #require(versions.first)
        #expect(password.refusedApprovals.allSatisfy { $0.hasPrefix("bob's approval of root-password (acme)") })
    }
}
