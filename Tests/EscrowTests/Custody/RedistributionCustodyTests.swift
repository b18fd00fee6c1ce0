import Shamir
import Sodium
import Testing

@testable import Escrow

extension CustodyTests {
    @Suite struct RedistributionTests {
        /// Lagrange at 0 of a line through (1, c ⊕ 1) and (2, c ⊕ 2) — f(x) = c + x — is c: an exact value computed
        /// without `Shamir`.
        @Test func consolidationOfALineGivesItsValueAtZero() throws {
            let c = (0..<32).map { UInt8(0x40 + $0) }
            func component(_ path: [UInt8], _ bytes: [UInt8]) -> ShareComponent {
                ShareComponent(path: path, value: SecureBytes(copying: bytes))
            }
            let components = [
                component([1], c.map { $0 ^ 1 }),
                component([2], c.map { $0 ^ 2 }),
                component([3], [UInt8](repeating: 0xEE, count: 32)),  // outside the subset: dropped
            ]
            let consolidated = try Redistributor.consolidate(components: components, level: 0, subset: [2, 1])
            #expect(consolidated.count == 1)
            #expect(consolidated.first?.path == [])
            #expect(consolidated.first.map { bytes($0.value) } == c)

            // Two levels: consolidating the newer one keeps the older path element.
            let deep = [
                component([5, 1], c.map { $0 ^ 1 }), component([5, 2], c.map { $0 ^ 2 }),
                component([6, 1], c.map { $0 ^ 1 ^ 0x10 }), component([6, 2], c.map { $0 ^ 2 ^ 0x10 }),
            ]
            let level1 = try Redistributor.consolidate(components: deep, level: 1, subset: [1, 2])
            #expect(level1.map(\.path) == [[5], [6]])
            #expect(level1.map { bytes($0.value) } == [c, c.map { $0 ^ 0x10 }])

            let missing = expectEscrowError(.invalidInput) {
                _ = try Redistributor.consolidate(components: Array(components.prefix(1)), level: 0, subset: [1, 2])
            }
            #expect(missing?.message.contains("lack contributor x=2") == true)
            let noLevel = expectEscrowError(.invalidInput) {
                _ = try Redistributor.consolidate(components: components, level: 1, subset: [1, 2])
            }
            #expect(noLevel?.message == "the components have no re-split level 1 to consolidate")
            let single = expectEscrowError(.invalidInput) {
                _ = try Redistributor.consolidate(components: components, level: 0, subset: [1])
            }
            #expect(single?.message == "a consolidation combines at least two contributors")
            expectEscrowError(.invalidInput) {
                _ = try Redistributor.consolidate(components: components + [components[0]], level: 0, subset: [1, 2])
            }
        }

        @Test func randomPoliciesRebuildFromAnyNewQuorum() throws {
            var random = try deterministicRandom(21)
            for round in 0..<12 {
                let t = Int.random(in: 2...4, using: &random)
                let n = Int.random(in: t...6, using: &random)
                let xs = Array((1...255).map { UInt8($0) }.shuffled(using: &random).prefix(n))
                let key = SecureBytes.random(count: 32)
                let scenario = try CustodyScenario(key: key, threshold: t, holders: xs, random: &random)
                let contributors = Array(xs.shuffled(using: &random).prefix(Int.random(in: t...n, using: &random)))
                let newThreshold = Int.random(in: 2...5, using: &random)
                let newCount = Int.random(in: newThreshold...7, using: &random)
                let newXs = Array((1...255).map { UInt8($0) }.shuffled(using: &random).prefix(newCount))
                let outcome = try resplit(
                    scenario.components,
                    shape: scenario.dealt.shape,
                    contributors: contributors,
                    id: CustodyFixture.resplit(UInt8(round)),
                    newThreshold: newThreshold,
                    newHolders: newXs,
                    random: &random
                )
                let policy = "round \(round): \(t)/\(n) → \(newThreshold)/\(newCount), Q = \(contributors)"
                #expect(outcome.holders.values.allSatisfy { $0.count == contributors.count }, "\(policy)")
                for subset in subsets(of: newXs, size: newThreshold) {
                    let result = try scenario.rebuild(outcome.holders, shape: outcome.shape, only: subset)
                    #expect(result.key == key, "\(policy), holders \(subset)")
                    #expect(result.subsets == [Array(contributors.sorted().prefix(t))], "\(policy)")
                    #expect(result.suspects == [[]], "\(policy)")
                }
                expectEscrowError(.quorumNotMet) {
                    _ = try scenario.rebuild(
                        outcome.holders,
                        shape: outcome.shape,
                        only: Array(newXs.prefix(newThreshold - 1))
                    )
                }
            }
        }

        /// 3/5 → 2/4 → 4/6 → 3/5, each with t + 1 contributors; each level is resolved by an open before the next
        /// re-split, which consolidates it.
        @Test func chainOfThreeResplitsResolvedByOpens() throws {
            var random = try deterministicRandom(31)
            let scenario = try CustodyScenario(threshold: 3, holders: [1, 2, 3, 4, 5], random: &random)
            let one = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 4, 5],
                id: CustodyFixture.resplit(1),
                newThreshold: 2,
                newHolders: [1, 2, 3, 4],
                random: &random
            )
            #expect(one.plan.consolidations.isEmpty)
            let open1 = try scenario.rebuild(one.holders, shape: one.shape)
            #expect(open1.key == scenario.key)
            #expect(open1.subsets == [[1, 2, 4]])
            var resolved = [CustodyFixture.resplit(1): open1.subsets[0]]

            let two = try resplit(
                one.holders,
                shape: one.shape,
                resolved: resolved,
                contributors: [2, 3, 4],
                id: CustodyFixture.resplit(2),
                newThreshold: 4,
                newHolders: [1, 2, 3, 4, 5, 6],
                random: &random
            )
            #expect(
                two.plan.consolidations == [
                    try LevelConsolidation(level: one.shape.levels[0], subset: [1, 2, 4], isForced: false)
                ]
            )
            #expect(two.plan.forcedLevels.isEmpty)
            #expect(two.shape.levels.map(\.resplit) == [CustodyFixture.resplit(2)])
            #expect(two.holders.values.allSatisfy { $0.map(\.path) == [[2], [3], [4]] })
            let open2 = try scenario.rebuild(two.holders, shape: two.shape, resolved: resolved)
            #expect(open2.key == scenario.key)
            #expect(open2.subsets == [[2, 3]])
            resolved[CustodyFixture.resplit(2)] = open2.subsets[0]

            let three = try resplit(
                two.holders,
                shape: two.shape,
                resolved: resolved,
                contributors: [1, 2, 3, 5, 6],
                id: CustodyFixture.resplit(3),
                newThreshold: 3,
                newHolders: [1, 2, 3, 4, 5],
                random: &random
            )
            #expect(three.shape.levels.count == 1)
            #expect(three.shape.levels.first?.threshold == 4)
            for subset in subsets(of: [1, 2, 3, 4, 5], size: 3) {
                let open3 = try scenario.rebuild(three.holders, shape: three.shape, only: subset, resolved: resolved)
                #expect(open3.key == scenario.key, "holders \(subset)")
                let value = try ValueSeal.open(scenario.dealt.sealedValue, key: open3.key, binding: scenario.binding)
                #expect(string(value) == "correct horse battery staple")
            }
        }

        /// Two unresolved levels, then a third re-split: the oldest level is consolidated with its first t
        /// contributors (robustness given up, reported by the plan) and the key still rebuilds when nobody cheated.
        @Test func thirdResplitForcesTheOldestUnresolvedLevel() throws {
            var random = try deterministicRandom(41)
            let scenario = try CustodyScenario(threshold: 3, holders: [1, 2, 3, 4, 5], random: &random)
            let one = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 3, 4],
                id: CustodyFixture.resplit(1),
                newThreshold: 2,
                newHolders: [1, 2, 3, 4],
                random: &random
            )
            let two = try resplit(
                one.holders,
                shape: one.shape,
                contributors: [4, 1, 3],
                id: CustodyFixture.resplit(2),
                newThreshold: 4,
                newHolders: [1, 2, 3, 4, 5, 6],
                random: &random
            )
            #expect(two.plan.consolidations.isEmpty)
            #expect(two.shape.levels.map(\.contributors) == [[1, 2, 3, 4], [1, 3, 4]])
            #expect(two.holders[1]?.count == 12)
            let open2 = try scenario.rebuild(two.holders, shape: two.shape)
            #expect(open2.key == scenario.key)
            #expect(open2.subsets == [[1, 2, 3], [1, 3]])
            #expect(open2.suspects == [[], []])

            let three = try resplit(
                two.holders,
                shape: two.shape,
                contributors: [2, 3, 4, 5, 6],
                id: CustodyFixture.resplit(3),
                newThreshold: 3,
                newHolders: [1, 2, 3, 4, 5],
                random: &random
            )
            #expect(three.plan.forcedLevels == [one.shape.levels[0]])
            #expect(three.plan.consolidations.map(\.subset) == [[1, 2, 3]])
            #expect(three.plan.remainingLevels == [two.shape.levels[1]])
            #expect(three.shape.levels.map(\.resplit) == [CustodyFixture.resplit(2), CustodyFixture.resplit(3)])
            #expect(three.holders[1]?.count == 3 * 5)
            let open3 = try scenario.rebuild(three.holders, shape: three.shape)
            #expect(open3.key == scenario.key)
            #expect(open3.subsets == [[1, 3], [2, 3, 4, 5]])
        }

        @Test func shiftedContributorIsNamedAndTheKeyStillRebuilds() throws {
            var random = try deterministicRandom(51)
            let scenario = try CustodyScenario(threshold: 3, holders: [1, 2, 3, 4, 5], random: &random)
            let outcome = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 3, 4],
                id: CustodyFixture.resplit(5),
                newThreshold: 3,
                newHolders: [1, 2, 3, 4],
                random: &random
            ) { contributor, output in
                if contributor == 2 { corrupt(output) }  // g(0) shifted: every holder gets g(x) + δ
            }
            let result = try scenario.rebuild(outcome.holders, shape: outcome.shape)
            #expect(result.key == scenario.key)
            #expect(result.subsets == [[1, 3, 4]])
            #expect(result.suspects == [[2]])
        }

        @Test func inconsistentSubShareToOneHolderIsNamed() throws {
            var random = try deterministicRandom(52)
            let scenario = try CustodyScenario(threshold: 2, holders: [1, 2, 3], random: &random)
            let outcome = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 3],
                id: CustodyFixture.resplit(6),
                newThreshold: 3,
                newHolders: [1, 2, 3, 4],
                random: &random
            ) { contributor, output in
                if contributor == 1 { corrupt(output, holder: 2) }
            }
            let result = try scenario.rebuild(outcome.holders, shape: outcome.shape)
            #expect(result.key == scenario.key)
            #expect(result.subsets == [[2, 3]])
            #expect(result.suspects == [[1]])
            // Holders that did not receive the bad value rebuild with any subset: nobody is suspected.
            let others = try scenario.rebuild(outcome.holders, shape: outcome.shape, only: [1, 3, 4])
            #expect(others.subsets == [[1, 2]])
            #expect(others.suspects == [[]])
        }

        @Test func cheaterAmongExactlyThresholdContributorsFailsNamingTheResplit() throws {
            var random = try deterministicRandom(53)
            let scenario = try CustodyScenario(threshold: 3, holders: [1, 2, 3, 4, 5], random: &random)
            let outcome = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [4, 1, 2],
                id: CustodyFixture.resplit(7),
                newThreshold: 2,
                newHolders: [1, 2, 3],
                random: &random
            ) { contributor, output in
                if contributor == 2 { corrupt(output) }
            }
            let error = expectEscrowError(.badShare) { _ = try scenario.rebuild(outcome.holders, shape: outcome.shape) }
            #expect(
                error?.message.contains(
                    "re-split 07a1… with contributors x=1,2,4: no subset rebuilds the committed key"
                )
                    == true,
                "\(error?.message ?? "")"
            )
            #expect(error?.message.contains("entry 'db-root' version 5353…") == true)
        }

        @Test func failureWithTwoLevelsNamesBoth() throws {
            var random = try deterministicRandom(55)
            let scenario = try CustodyScenario(threshold: 2, holders: [1, 2, 3], random: &random)
            let one = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 3],
                id: CustodyFixture.resplit(1),
                newThreshold: 2,
                newHolders: [1, 2, 3],
                random: &random
            )
            let two = try resplit(
                one.holders,
                shape: one.shape,
                contributors: [2, 1],
                id: CustodyFixture.resplit(2),
                newThreshold: 2,
                newHolders: [1, 2, 3],
                random: &random
            ) { contributor, output in
                if contributor == 2 { corrupt(output) }
            }
            let error = expectEscrowError(.badShare) { _ = try scenario.rebuild(two.holders, shape: two.shape) }
            #expect(
                error?.message
                    == "entry 'db-root' version 5353…: re-split 01a1… with contributors x=1,2,3; re-split 02a1… with "
                    + "contributors x=1,2: no subset rebuilds the committed key"
            )
        }

        @Test func cheatersInBothLevelsAreNamedPerLevel() throws {
            var random = try deterministicRandom(54)
            let scenario = try CustodyScenario(threshold: 3, holders: [1, 2, 3, 4, 5], random: &random)
            let one = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 3, 4],
                id: CustodyFixture.resplit(1),
                newThreshold: 2,
                newHolders: [1, 2, 3],
                random: &random
            ) { contributor, output in
                if contributor == 3 { corrupt(output) }
            }
            let two = try resplit(
                one.holders,
                shape: one.shape,
                contributors: [1, 2, 3],
                id: CustodyFixture.resplit(2),
                newThreshold: 2,
                newHolders: [1, 2, 3],
                random: &random
            ) { contributor, output in
                if contributor == 1 { corrupt(output, mask: 0x01) }
            }
            let result = try scenario.rebuild(two.holders, shape: two.shape)
            #expect(result.key == scenario.key)
            #expect(result.subsets == [[1, 2, 4], [2, 3]])
            #expect(result.suspects == [[3], [1]])

            // A recorded subset is tried first; if it fails for these holders, the search goes on.
            let good = try scenario.rebuild(
                two.holders,
                shape: two.shape,
                resolved: [CustodyFixture.resplit(1): [4, 2, 1]]
            )
            #expect(good.subsets == [[1, 2, 4], [2, 3]])
            #expect(good.suspects == [[3], [1]])
            let stale = try scenario.rebuild(
                two.holders,
                shape: two.shape,
                resolved: [CustodyFixture.resplit(1): [1, 2, 3], CustodyFixture.resplit(2): [1, 2]]
            )
            #expect(stale.key == scenario.key)
            #expect(stale.subsets == [[1, 2, 4], [2, 3]])
            #expect(stale.suspects == [[3], [1]])
            expectEscrowError(.invalidInput) {
                _ = try scenario.rebuild(two.holders, shape: two.shape, resolved: [CustodyFixture.resplit(1): [1, 2]])
            }
        }

        /// The event layer's path: each contributor seals its sub-shares to the new holders in one batch, with
        /// positions naming the re-split and the path; the new holders open, check digests, and rebuild.
        @Test func sealedSubSharesRoundTrip() throws {
            var random = try deterministicRandom(61)
            let scenario = try CustodyScenario(threshold: 2, holders: [1, 2, 3], random: &random)
            let id = CustodyFixture.resplit(9)
            let newHolders: [UInt8] = [7, 8, 9]
            var newKeys: [UInt8: BoxKeyPair] = [:]
            for x in newHolders { newKeys[x] = BoxKeyPair() }
            let plan = try Redistributor.plan(shape: scenario.dealt.shape, resolved: [:])
            var received: [UInt8: [ShareComponent]] = [:]
            var published: [(ephemeral: [UInt8], component: SealedComponent)] = []
            for contributor: UInt8 in [1, 3] {
                let prepared = try Redistributor.prepare(
                    components: try #require(scenario.components[contributor]),
                    plan: plan
                )
                let output = try Redistributor.subShare(
                    components: prepared,
                    contributorX: contributor,
                    newThreshold: 2,
                    newHolders: newHolders,
                    using: &random
                )
                let sealer = ShareSealer()
                for (x, components) in output {
                    for component in components {
                        let position = try SharePosition(
                            binding: scenario.binding,
                            generation: 2,
                            resplit: id,
                            path: component.path,
                            x: x
                        )
                        let sealed = try component.value.withUnsafeBytes {
                            try sealer.sealComponent(
                                $0,
                                position: position,
                                recipientBoxKey: try #require(newKeys[x]).publicKey
                            )
                        }
                        published.append((sealer.ephemeralPublicKey, sealed))
                    }
                }
            }
            #expect(published.count == 2 * 3)
            for (ephemeral, sealed) in published {
                let keys = try #require(newKeys[sealed.x])
                let opener = try ShareOpener(boxKeys: keys, ephemeralPublicKey: ephemeral)
                let position = try SharePosition(
                    binding: scenario.binding,
                    generation: 2,
                    resplit: id,
                    path: sealed.path,
                    x: sealed.x
                )
                let value = try opener.open(sealed.sealed, position: position)
                #expect(ComponentDigest.matches(value: value, position: position, digest: sealed.digest))
                received[sealed.x, default: []].append(ShareComponent(path: sealed.path, value: value))
                // The same value claimed for another holder or contributor does not open.
                let moved = try SharePosition(
                    binding: scenario.binding,
                    generation: 2,
                    resplit: id,
                    path: sealed.path == [1] ? [3] : [1],
                    x: sealed.x
                )
                expectEscrowError(.badShare) { _ = try opener.open(sealed.sealed, position: moved) }
            }
            let shape = try plan.resultingShape(resplit: id, contributors: [3, 1], threshold: 2, holders: newHolders)
            for subset in subsets(of: newHolders, size: 2) {
                let result = try scenario.rebuild(received, shape: shape, only: subset)
                #expect(result.key == scenario.key)
            }
        }

        @Test func planConsolidatesResolvedLevelsAndForcesTheOldest() throws {
            let older = try SharingLevel(resplit: CustodyFixture.resplit(1), contributors: [4, 2, 1, 3], threshold: 3)
            let newer = try SharingLevel(resplit: CustodyFixture.resplit(2), contributors: [5, 2, 3], threshold: 2)
            #expect(older.contributors == [1, 2, 3, 4])
            let shape = try SharingShape(threshold: 2, holders: [3, 1, 2], levels: [older, newer])
            #expect(shape.holders == [1, 2, 3])

            let forced = try Redistributor.plan(shape: shape, resolved: [:])
            #expect(forced.consolidations == [try LevelConsolidation(level: older, subset: [1, 2, 3], isForced: true)])
            #expect(forced.forcedLevels == [older])
            #expect(forced.remainingLevels == [newer])

            let newerResolved = try Redistributor.plan(shape: shape, resolved: [CustodyFixture.resplit(2): [5, 3]])
            #expect(
                newerResolved.consolidations == [try LevelConsolidation(level: newer, subset: [3, 5], isForced: false)]
            )
            #expect(newerResolved.forcedLevels.isEmpty)
            #expect(newerResolved.remainingLevels == [older])

            let both = try Redistributor.plan(
                shape: shape,
                resolved: [CustodyFixture.resplit(2): [2, 5], CustodyFixture.resplit(1): [2, 3, 4], [9]: [1]]
            )
            #expect(both.consolidations.map(\.subset) == [[2, 3, 4], [2, 5]])
            #expect(both.remainingLevels.isEmpty)

            expectEscrowError(.invalidInput) {
                _ = try Redistributor.plan(shape: shape, resolved: [CustodyFixture.resplit(1): [1, 2]])
            }
            expectEscrowError(.invalidInput) {
                _ = try Redistributor.plan(shape: shape, resolved: [CustodyFixture.resplit(1): [1, 2, 9]])
            }
            let next = try forced.resultingShape(
                resplit: CustodyFixture.resplit(3),
                contributors: [1, 3],
                threshold: 3,
                holders: [1, 2, 3]
            )
            #expect(next.levels.map(\.resplit) == [CustodyFixture.resplit(2), CustodyFixture.resplit(3)])
            #expect(next.levels.last?.threshold == 2)
            expectEscrowError(.invalidInput) {
                _ = try forced.resultingShape(
                    resplit: CustodyFixture.resplit(3),
                    contributors: [1, 7],
                    threshold: 2,
                    holders: [1, 2]
                )
            }
            expectEscrowError(.invalidInput) {
                _ = try forced.resultingShape(
                    resplit: CustodyFixture.resplit(3),
                    contributors: [1],
                    threshold: 2,
                    holders: [1, 2]
                )
            }
            expectEscrowError(.invalidInput) {
                _ = try forced.resultingShape(
                    resplit: CustodyFixture.resplit(2),
                    contributors: [1, 2],
                    threshold: 2,
                    holders: [1, 2]
                )
            }
        }

        @Test func shapesAndSubSharingRefuseWhatThePolicyForbids() throws {
            let level = { (byte: UInt8) throws -> SharingLevel in
                try SharingLevel(resplit: CustodyFixture.resplit(byte), contributors: [1, 2], threshold: 2)
            }
            expectEscrowError(.invalidInput) {
                _ = try SharingShape(
                    threshold: 2,
                    holders: [1, 2],
                    levels: [try level(1), try level(2), try level(3)]
                )
            }
            expectEscrowError(.invalidInput) {
                _ = try SharingShape(threshold: 2, holders: [1, 2], levels: [try level(1), try level(1)])
            }
            expectEscrowError(.invalidInput) { _ = try SharingShape(threshold: 3, holders: [1, 2]) }
            expectEscrowError(.invalidInput) { _ = try SharingShape(threshold: 2, holders: [1, 1]) }
            expectEscrowError(.invalidInput) { _ = try SharingLevel(resplit: [1], contributors: [1, 2], threshold: 2) }
            expectEscrowError(.invalidInput) {
                _ = try SharingLevel(resplit: CustodyFixture.resplit(1), contributors: [1, 2], threshold: 3)
            }

            var random = try deterministicRandom(71)
            let value = CustodyFixture.countingKey
            func subShare(_ components: [ShareComponent], x: UInt8 = 1, t: Int = 2, holders: [UInt8] = [1, 2]) throws {
                _ = try Redistributor.subShare(
                    components: components,
                    contributorX: x,
                    newThreshold: t,
                    newHolders: holders,
                    using: &random
                )
            }
            let deep = expectEscrowError(.invalidInput) { try subShare([ShareComponent(path: [1, 2], value: value)]) }
            #expect(deep?.message.contains("consolidate one first") == true)
            expectEscrowError(.invalidInput) { try subShare([]) }
            expectEscrowError(.invalidInput) {
                try subShare([ShareComponent(path: [1], value: value), ShareComponent(path: [], value: value)])
            }
            expectEscrowError(.invalidInput) { try subShare([ShareComponent(path: [], value: SecureBytes(count: 16))]) }
            expectEscrowError(.invalidInput) { try subShare([ShareComponent(path: [], value: value)], x: 0) }
            expectEscrowError(.invalidInput) { try subShare([ShareComponent(path: [], value: value)], t: 3) }
            expectEscrowError(.invalidInput) {
                try subShare([ShareComponent(path: [], value: value)], holders: [1, 0])
            }
            let output = try Redistributor.subShare(
                components: [ShareComponent(path: [4], value: value)],
                contributorX: 9,
                newThreshold: 2,
                newHolders: [3, 5],
                using: &random
            )
            #expect(output.keys.sorted() == [3, 5])
            #expect(output[3]?.map(\.path) == [[4, 9]])
        }

        /// For a new threshold of 3 the sub-share at x = 1 is `c + a₁ + a₂`, with `a₁`, `a₂` the next 64 bytes of the
        /// coefficient stream (Shamir's documented layout): an exact value computed without GF(256) multiplication,
        /// which pins the degree of `g` (a degree-1 `g` would give `c + a₁`).
        @Test func subShareAtOneIsTheSumOfTheCoefficients() throws {
            let component = CustodyFixture.countingKey
            var random = try deterministicRandom(74)
            let output = try Redistributor.subShare(
                components: [ShareComponent(path: [], value: component)],
                contributorX: 2,
                newThreshold: 3,
                newHolders: [1, 2, 3],
                using: &random
            )
            let stream = try deterministicRandom(74)
            var coefficients = [UInt8](repeating: 0, count: 64)
            coefficients.withUnsafeMutableBytes { stream.fill($0) }
            let expected = (0..<32).map { bytes(component)[$0] ^ coefficients[$0] ^ coefficients[32 + $0] }
            let atOne = try #require(output[1]?.first)
            #expect(atOne.path == [2])
            #expect(bytes(atOne.value) == expected)
        }

        /// The bulk form produces, from the same randomness, exactly the values of the component form.
        @Test func bulkSubShareMatchesTheComponentForm() throws {
            let first = CustodyFixture.countingKey
            let second = CustodyFixture.key(repeating: 0x3C)
            var random = try deterministicRandom(73)
            let output = try Redistributor.subShare(
                components: [ShareComponent(path: [2], value: first), ShareComponent(path: [5], value: second)],
                contributorX: 4,
                newThreshold: 2,
                newHolders: [9, 3, 7],
                using: &random
            )
            let values = SecureBytes(copying: bytes(first) + bytes(second))
            let rows = SecureBytes(count: 3 * 64)
            var again = try deterministicRandom(73)
            try values.withUnsafeBytes { values in
                try rows.withUnsafeMutableBytes { rows in
                    try Redistributor.subShare(
                        values,
                        newThreshold: 2,
                        newHolders: [9, 3, 7],
                        into: rows,
                        using: &again
                    )
                }
            }
            let all = bytes(rows)
            for (row, x) in [UInt8(9), 3, 7].enumerated() {
                let components = try #require(output[x])
                #expect(components.map(\.path) == [[2, 4], [5, 4]])
                #expect(
                    components.map { bytes($0.value) } == [
                        Array(all[(row * 64)..<(row * 64 + 32)]), Array(all[(row * 64 + 32)..<(row * 64 + 64)]),
                    ]
                )
            }
            expectEscrowError(.invalidInput) {
                try values.withUnsafeBytes { values in
                    try rows.withUnsafeMutableBytes { rows in
                        try Redistributor.subShare(
                            UnsafeRawBufferPointer(rebasing: values[0..<40]),
                            newThreshold: 2,
                            newHolders: [9, 3, 7],
                            into: UnsafeMutableRawBufferPointer(rebasing: rows[0..<120]),
                            using: &again
                        )
                    }
                }
            }
            expectEscrowError(.invalidInput) {
                try values.withUnsafeBytes { values in
                    try rows.withUnsafeMutableBytes { rows in
                        try Redistributor.subShare(
                            values,
                            newThreshold: 2,
                            newHolders: [9, 3],
                            into: rows,
                            using: &again
                        )
                    }
                }
            }
        }

        @Test func rebuildRefusesComponentsThatDoNotFitTheShape() throws {
            var random = try deterministicRandom(72)
            let scenario = try CustodyScenario(threshold: 2, holders: [1, 2, 3], random: &random)
            var strangers = scenario.components
            strangers[9] = strangers[1]
            expectEscrowError(.invalidInput) { _ = try scenario.rebuild(strangers, shape: scenario.dealt.shape) }
            let level = try SharingLevel(resplit: CustodyFixture.resplit(1), contributors: [1, 2], threshold: 2)
            let leveled = try SharingShape(threshold: 2, holders: [1, 2, 3], levels: [level])
            expectEscrowError(.invalidInput) { _ = try scenario.rebuild(scenario.components, shape: leveled) }
            expectEscrowError(.invalidInput) {
                _ = try Rebuilder.rebuild(
                    shape: scenario.dealt.shape,
                    holders: scenario.components,
                    binding: scenario.binding,
                    commitment: [1, 2, 3]
                )
            }
            // A holder missing the component of a contributor does not count for subsets that need it.
            let outcome = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 3],
                id: CustodyFixture.resplit(2),
                newThreshold: 2,
                newHolders: [1, 2, 3],
                random: &random
            )
            var partial = outcome.holders
            partial[1] = partial[1]?.filter { $0.path != [1] }
            let result = try scenario.rebuild(partial, shape: outcome.shape)
            #expect(result.key == scenario.key)
            #expect(result.subsets == [[1, 2]])
            partial[2] = partial[2]?.filter { $0.path == [1] }
            partial[3] = partial[3]?.filter { $0.path == [2] }
            expectEscrowError(.quorumNotMet) { _ = try scenario.rebuild(partial, shape: outcome.shape) }
        }
    }
}
