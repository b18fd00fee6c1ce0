import Shamir
import Sodium
import Testing

@testable import Escrow

extension CustodyTests {
    @Suite struct DealTests {
        @Test func dealThenRebuildFromEveryQuorum() throws {
            var random = try deterministicRandom(11)
            let xs: [UInt8] = [1, 2, 3, 4, 5]
            let scenario = try CustodyScenario(threshold: 3, holders: xs, random: &random)
            #expect(scenario.dealt.shape == (try SharingShape(threshold: 3, holders: xs)))
            #expect(scenario.dealt.shares.map(\.x) == xs)
            #expect(scenario.dealt.shares.allSatisfy { $0.path.isEmpty && $0.digest.count == 32 })
            #expect(scenario.dealt.commitment == KeyCommitment.compute(key: scenario.key, binding: scenario.binding))
            var quorums = 0
            for size in 3...5 {
                for subset in subsets(of: xs, size: size) {
                    let result = try scenario.rebuild(scenario.components, shape: scenario.dealt.shape, only: subset)
                    #expect(result.key == scenario.key, "holders \(subset)")
                    #expect(result.subsets.isEmpty && result.suspects.isEmpty)
                    let value = try ValueSeal.open(
                        scenario.dealt.sealedValue,
                        key: result.key,
                        binding: scenario.binding
                    )
                    #expect(string(value) == "correct horse battery staple")
                    quorums += 1
                }
            }
            #expect(quorums == 10 + 5 + 1)
            for subset in subsets(of: xs, size: 2) {
                let error = expectEscrowError(.quorumNotMet) {
                    _ = try scenario.rebuild(scenario.components, shape: scenario.dealt.shape, only: subset)
                }
                #expect(error?.message.contains("2 holders answered, 3 are needed") == true)
            }
        }

        /// With threshold 2 a share is `K + a·x`, `a` the first 32 bytes of the coefficient stream: at x = 1 it is
        /// `K ⊕ a`, computed here without `Shamir`.
        @Test func dealtSharesFollowTheInjectedRandomness() throws {
            var random = try deterministicRandom(5)
            let scenario = try CustodyScenario(threshold: 2, holders: [1, 2], random: &random)
            let stream = try deterministicRandom(5)
            var coefficients = [UInt8](repeating: 0, count: 32)
            coefficients.withUnsafeMutableBytes { stream.fill($0) }
            let share = try #require(scenario.components[1]?.first)
            #expect(bytes(share.value) == zip(bytes(scenario.key), coefficients).map { $0 ^ $1 })
        }

        @Test func freshKeyPerDealAndCommitmentChecked() throws {
            var random = try deterministicRandom(6)
            let binding = try CustodyFixture.binding()
            let holders = (1...3).map { DealHolder(x: UInt8($0), boxPublicKey: BoxKeyPair().publicKey) }
            let one = try Dealer.deal(
                value: secure("v"),
                binding: binding,
                generation: 1,
                threshold: 2,
                holders: holders,
                using: &random
            )
            let two = try Dealer.deal(
                value: secure("v"),
                binding: binding,
                generation: 1,
                threshold: 2,
                holders: holders,
                using: &random
            )
            #expect(one.commitment != two.commitment)
            #expect(one.ephemeralPublicKey != two.ephemeralPublicKey)
        }

        @Test func badShareWhenAHolderValueIsWrong() throws {
            var random = try deterministicRandom(12)
            let scenario = try CustodyScenario(threshold: 3, holders: [1, 2, 3, 4], random: &random)
            scenario.components[2]?.first?.value.withUnsafeMutableBytes { $0[0] ^= 1 }
            let error = expectEscrowError(.badShare) {
                _ = try scenario.rebuild(scenario.components, shape: scenario.dealt.shape, only: [1, 2, 3])
            }
            #expect(
                error?.message.contains("the shares of holders x=1,2,3: no subset rebuilds the committed key") == true
            )
            #expect(
                try scenario.rebuild(scenario.components, shape: scenario.dealt.shape, only: [1, 3, 4]).key
                    == scenario.key
            )
        }

        @Test func dealerRefusesInvalidPolicies() throws {
            var random = try deterministicRandom(1)
            let binding = try CustodyFixture.binding()
            func holders(_ xs: [UInt8]) -> [DealHolder] {
                xs.map { DealHolder(x: $0, boxPublicKey: BoxKeyPair().publicKey) }
            }
            func deal(_ threshold: Int, _ holders: [DealHolder]) throws {
                _ = try Dealer.deal(
                    value: secure("v"),
                    binding: binding,
                    generation: 1,
                    threshold: threshold,
                    holders: holders,
                    using: &random
                )
            }
            expectEscrowError(.invalidInput) { try deal(1, holders([1, 2, 3])) }
            expectEscrowError(.invalidInput) { try deal(4, holders([1, 2, 3])) }
            expectEscrowError(.invalidInput) { try deal(2, holders([1, 2, 2])) }
            expectEscrowError(.invalidInput) { try deal(2, holders([0, 1, 2])) }
            expectEscrowError(.invalidInput) { try deal(2, [DealHolder(x: 1, boxPublicKey: [1])] + holders([2])) }
            expectEscrowError(.invalidInput) {
                try deal(2, (0..<256).map { DealHolder(x: UInt8(truncatingIfNeeded: $0), boxPublicKey: []) })
            }
            try deal(2, holders((1...255).map { UInt8($0) }))
        }
    }
}
