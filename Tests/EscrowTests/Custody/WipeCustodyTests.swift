import Shamir
import Testing

@testable import Escrow
@testable import Sodium

extension CustodyTests {
    @Suite struct WipeTests {
        /// Records the guarded buffers an operation creates.
        final class Observed: @unchecked Sendable {
            var buffers: [SecureBytes] = []
            var freed: [[UInt8]] = []
        }

        /// Every observed buffer is zero now, and, once released, is handed to `sodium_free` wiped.
        func expectWiped(_ observed: Observed, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(!observed.buffers.isEmpty, sourceLocation: sourceLocation)
            observed.freed.removeAll()
            for buffer in observed.buffers {
                #expect(bytes(buffer).allSatisfy { $0 == 0 }, "\(buffer)", sourceLocation: sourceLocation)
                buffer._didWipe = { [observed] in observed.freed.append(Array($0)) }
            }
            let count = observed.buffers.count
            observed.buffers.removeAll()
            #expect(observed.freed.count == count, sourceLocation: sourceLocation)
            #expect(observed.freed.allSatisfy { $0.allSatisfy { $0 == 0 } }, sourceLocation: sourceLocation)
        }

        @Test func dealWipesTheKeyAndTheShares() throws {
            var random = try deterministicRandom(91)
            let binding = try CustodyFixture.binding()
            let observed = Observed()
            var keyCopy: [UInt8] = []
            let dealt = try Dealer.deal(
                value: secure("v"),
                binding: binding,
                generation: 1,
                threshold: 2,
                holders: (1...3).map { DealHolder(x: UInt8($0), boxPublicKey: BoxKeyPair().publicKey) },
                using: &random,
                observe: { buffer in
                    if observed.buffers.isEmpty { keyCopy = bytes(buffer) }  // the fresh key comes first
                    observed.buffers.append(buffer)
                }
            )
            #expect(observed.buffers.count == 3)
            #expect(keyCopy.count == 32 && keyCopy != [UInt8](repeating: 0, count: 32))
            #expect(dealt.commitment == KeyCommitment.compute(key: SecureBytes(copying: keyCopy), binding: binding))
            expectWiped(observed)
        }

        @Test func rebuildWipesItsIntermediatesOnSuccessAndFailure() throws {
            var random = try deterministicRandom(92)
            let scenario = try CustodyScenario(threshold: 2, holders: [1, 2, 3], random: &random)
            let outcome = try resplit(
                scenario.components,
                shape: scenario.dealt.shape,
                contributors: [1, 2, 3],
                id: CustodyFixture.resplit(1),
                newThreshold: 2,
                newHolders: [1, 2, 3],
                random: &random
            )
            let observed = Observed()
            let result = try Rebuilder.rebuild(
                shape: outcome.shape,
                holders: outcome.holders,
                binding: scenario.binding,
                commitment: scenario.dealt.commitment,
                resolved: [:],
                observe: { observed.buffers.append($0) }
            )
            #expect(result.key == scenario.key)
            #expect(observed.buffers.count == 2)
            expectWiped(observed)

            expectEscrowError(.badShare) {
                _ = try Rebuilder.rebuild(
                    shape: outcome.shape,
                    holders: outcome.holders,
                    binding: try CustodyFixture.binding(version: 0x99),
                    commitment: scenario.dealt.commitment,
                    resolved: [:],
                    observe: { observed.buffers.append($0) }
                )
            }
            expectWiped(observed)
        }

        @Test func subShareWipesItsScratch() throws {
            var random = try deterministicRandom(93)
            let observed = Observed()
            let output = try Redistributor.subShare(
                components: [ShareComponent(path: [], value: CustodyFixture.countingKey)],
                contributorX: 1,
                newThreshold: 2,
                newHolders: [1, 2],
                using: &random,
                observe: { observed.buffers.append($0) }
            )
            #expect(output.count == 2)
            #expect(observed.buffers.map(\.count) == [32, 64])
            expectWiped(observed)
        }

        @Test func componentsAreWipedWhenReleased() throws {
            let observed = Observed()
            do {
                let component = ShareComponent(path: [1], value: CustodyFixture.key(repeating: 0xA5))
                component.value._didWipe = { [observed] in observed.freed.append(Array($0)) }
            }
            #expect(observed.freed == [[UInt8](repeating: 0, count: 32)])
        }
    }
}
