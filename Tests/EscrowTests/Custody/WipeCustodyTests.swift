import Foundation
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

        /// The guarded arenas a dealing held secrets in, with a copy of each one's contents the first time it was
        /// seen (observed from the workers, so behind a lock).
        final class ObservedArenas: @unchecked Sendable {
            private let lock = NSLock()
            private(set) var arenas: [SecureArena] = []
            private(set) var firstContents: [[UInt8]] = []
            var freed: [[UInt8]] = []

            func observe(_ arena: SecureArena) {
                lock.lock()
                defer { lock.unlock() }
                guard !arenas.contains(where: { $0 === arena }) else { return }
                arenas.append(arena)
                firstContents.append(arena.withWholeBlock { Array($0) })
            }

            /// Every arena is zero now and, once released, is handed to `sodium_free` wiped.
            func expectWiped(sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(!arenas.isEmpty, sourceLocation: sourceLocation)
                freed.removeAll()
                for arena in arenas {
                    #expect(
                        arena.withWholeBlock { $0.allSatisfy { $0 == 0 } },
                        "\(arena)",
                        sourceLocation: sourceLocation
                    )
                    arena._didWipe = { [self] in freed.append(Array($0)) }
                }
                let count = arenas.count
                arenas.removeAll()
                #expect(freed.count == count, sourceLocation: sourceLocation)
                #expect(freed.allSatisfy { $0.allSatisfy { $0 == 0 } }, sourceLocation: sourceLocation)
            }
        }

        @Test func dealWipesTheKeyTheCoefficientsAndTheShares() throws {
            var random = try deterministicRandom(91)
            let binding = try CustodyFixture.binding()
            let observed = ObservedArenas()
            let recipients = try DealRecipients(
                threshold: 3,
                holders: (1...5).map { DealHolder(x: UInt8($0), boxPublicKey: BoxKeyPair().publicKey) }
            )
            let job = DealJob(value: secure("v"), binding: binding, generation: 1, recipients: recipients)
            let dealt = try Dealer.deal([job], key: nil, using: &random, observe: { observed.observe($0) })[0].get()
            // The coefficients' arena (seen first, on the calling thread) held exactly the stream's first 64 bytes.
            #expect(observed.arenas.count == 2)
            let stream = try deterministicRandom(91)
            var coefficients = [UInt8](repeating: 0, count: 64)
            coefficients.withUnsafeMutableBytes { stream.fill($0) }
            #expect(Array(observed.firstContents[0].prefix(64)) == coefficients)
            // The worker's arena held the fresh key first, then the self-check, and the shares after the fixed slots.
            let key = Array(observed.firstContents[1].prefix(32))
            #expect(key != [UInt8](repeating: 0, count: 32))
            #expect(dealt.commitment == KeyCommitment.compute(key: SecureBytes(copying: key), binding: binding))
            #expect(Array(observed.firstContents[1][32..<64]) == key)
            observed.expectWiped()
        }

        @Test func batchDealingWipesEveryArena() throws {
            var random = try deterministicRandom(94)
            let observed = ObservedArenas()
            var jobs: [DealJob] = []
            for index in 0..<50 {
                let holders = (1...(3 + index % 3)).map {
                    DealHolder(x: UInt8($0), boxPublicKey: BoxKeyPair().publicKey)
                }
                jobs.append(
                    DealJob(
                        value: secure("value \(index)"),
                        binding: try CustodyFixture.binding(version: UInt8(index)),
                        generation: 1,
                        recipients: try DealRecipients(threshold: 2 + index % 2, holders: holders)
                    )
                )
            }
            let results = Dealer.deal(jobs, key: nil, using: &random, observe: { observed.observe($0) })
            #expect(results.count == 50)
            for result in results { _ = try result.get() }
            #expect(observed.arenas.count >= 2 && observed.arenas.count <= 1 + Dealer.workerCount)
            observed.expectWiped()
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
