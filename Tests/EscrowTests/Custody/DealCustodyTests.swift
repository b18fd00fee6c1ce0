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

        /// Jobs of several policies, each with its own binding and value, and the holders' key pairs.
        func batchJobs(count: Int) throws -> (jobs: [DealJob], keys: [[UInt8]: BoxKeyPair]) {
            var keys: [[UInt8]: BoxKeyPair] = [:]
            var jobs: [DealJob] = []
            for index in 0..<count {
                let xs = Array([UInt8](1...9).shuffled().prefix(3 + index % 4))
                var holders: [DealHolder] = []
                for x in xs {
                    let pair = BoxKeyPair()
                    keys[pair.publicKey] = pair
                    holders.append(DealHolder(x: x, boxPublicKey: pair.publicKey))
                }
                jobs.append(
                    DealJob(
                        value: secure("value \(index)"),
                        binding: try CustodyFixture.binding(entry: "entry-\(index)", version: UInt8(index)),
                        generation: Int64(1 + index % 3),
                        recipients: try DealRecipients(threshold: 2 + index % (xs.count - 1), holders: holders)
                    )
                )
            }
            return (jobs, keys)
        }

        /// Opens every share of `dealt` with its holder's key (digest checked) and returns the values by x.
        func openedShares(_ dealt: DealtVersion, of job: DealJob, keys: [[UInt8]: BoxKeyPair]) throws -> [UInt8:
            [UInt8]]
        {
            var values: [UInt8: [UInt8]] = [:]
            for (share, holder) in zip(dealt.shares, job.recipients.holders) {
                #expect(share.x == holder.x && share.path.isEmpty)
                let pair = try #require(keys[holder.boxPublicKey])
                let opener = try ShareOpener(boxKeys: pair, ephemeralPublicKey: dealt.ephemeralPublicKey)
                let position = try SharePosition(binding: job.binding, generation: job.generation, x: share.x)
                let value = try opener.open(share.sealed, position: position)
                #expect(ComponentDigest.matches(value: value, position: position, digest: share.digest))
                values[share.x] = bytes(value)
            }
            return values
        }

        /// The fast path (a batch dealt on every core, coefficients drawn beforehand) gives exactly the shares the
        /// slow path (one job after another, each split drawing from the stream itself) gives with the same stream
        /// and key; every version opens with its own value, commitment and binding, in the order of the jobs.
        @Test func batchDealingMatchesDealingOneAfterAnother() throws {
            let (jobs, keys) = try batchJobs(count: 40)
            let key = CustodyFixture.key(repeating: 0x3C)
            var batchRandom = try deterministicRandom(21)
            let batch = Dealer.deal(jobs, key: key, using: &batchRandom, observe: { _ in })
            var serialRandom = try deterministicRandom(21)
            var coefficientStream = try deterministicRandom(21)
            for (index, job) in jobs.enumerated() {
                let dealt = try batch[index].get()
                let serial = try Dealer.deal(
                    value: job.value,
                    key: key,
                    binding: job.binding,
                    generation: job.generation,
                    threshold: job.recipients.threshold,
                    holders: job.recipients.holders,
                    using: &serialRandom,
                    observe: { _ in }
                )
                let values = try openedShares(dealt, of: job, keys: keys)
                #expect(values == (try openedShares(serial, of: job, keys: keys)), "job \(index)")
                // And both are the plain Shamir split of the key with the stream's next coefficients.
                var rows = [UInt8](repeating: 0, count: 32 * job.recipients.holders.count)
                try key.withUnsafeBytes { key in
                    try rows.withUnsafeMutableBytes { rows in
                        try Shamir.split(
                            key,
                            threshold: job.recipients.threshold,
                            xs: job.recipients.holders.map(\.x),
                            into: rows,
                            using: &coefficientStream
                        )
                    }
                }
                for (row, holder) in job.recipients.holders.enumerated() {
                    #expect(values[holder.x] == Array(rows[(row * 32)..<((row + 1) * 32)]), "job \(index)")
                }
                #expect(dealt.commitment == KeyCommitment.compute(key: key, binding: job.binding))
                #expect(dealt.shape == job.recipients.shape)
                #expect(
                    string(try ValueSeal.open(dealt.sealedValue, key: key, binding: job.binding)) == "value \(index)"
                )
            }
        }

        /// Fresh material per version of a batch: no two versions share a key, an ephemeral key or a sealed share,
        /// and a share moved to another version of the same batch (same holder) is refused by its associated data
        /// and its digest.
        @Test func batchVersionsShareNothingAndSharesCannotMove() throws {
            let pairs = (1...5).map { _ in BoxKeyPair() }
            let recipients = try DealRecipients(
                threshold: 3,
                holders: pairs.enumerated().map {
                    DealHolder(x: UInt8($0.offset + 1), boxPublicKey: $0.element.publicKey)
                }
            )
            let jobs = try (0..<30).map { index in
                DealJob(
                    value: secure("v"),
                    binding: try CustodyFixture.binding(version: UInt8(index)),
                    generation: 1,
                    recipients: recipients
                )
            }
            var random = try deterministicRandom(22)
            let dealt = try Dealer.deal(jobs, using: &random).map { try $0.get() }
            #expect(Set(dealt.map(\.ephemeralPublicKey)).count == 30)
            #expect(Set(dealt.map(\.commitment)).count == 30)
            #expect(Set(dealt.flatMap { $0.shares.map(\.sealed) }).count == 150)
            #expect(Set(dealt.flatMap { $0.shares.map(\.digest) }).count == 150)
            // Bob (x = 2) takes item 7's sealed share and digest as if they were item 8's.
            let bob = pairs[1]
            let moved = dealt[7].shares[1]
            let position = try SharePosition(binding: jobs[8].binding, generation: 1, x: 2)
            for ephemeral in [dealt[7].ephemeralPublicKey, dealt[8].ephemeralPublicKey] {
                let opener = try ShareOpener(boxKeys: bob, ephemeralPublicKey: ephemeral)
                expectEscrowError(.badShare) { _ = try opener.open(moved.sealed, position: position) }
            }
            let genuine = try ShareOpener(boxKeys: bob, ephemeralPublicKey: dealt[7].ephemeralPublicKey)
                .open(moved.sealed, position: try SharePosition(binding: jobs[7].binding, generation: 1, x: 2))
            #expect(!ComponentDigest.matches(value: genuine, position: position, digest: moved.digest))
            #expect(
                ComponentDigest.matches(
                    value: genuine,
                    position: try SharePosition(binding: jobs[7].binding, generation: 1, x: 2),
                    digest: moved.digest
                )
            )
        }

        /// A job that cannot be dealt (a holder's key is a low-order point) fails alone, at its own index; the
        /// others are dealt and open.
        @Test func batchReportsEachFailureAtItsJob() throws {
            var (jobs, keys) = try batchJobs(count: 30)
            for bad in [5, 23] {
                var holders = jobs[bad].recipients.holders
                holders[1].boxPublicKey = [UInt8](repeating: 0, count: 32)
                jobs[bad].recipients = try DealRecipients(threshold: jobs[bad].recipients.threshold, holders: holders)
            }
            var random = try deterministicRandom(23)
            let results = Dealer.deal(jobs, using: &random)
            #expect(results.count == 30)
            for (index, result) in results.enumerated() {
                switch result {
                case .success(let dealt):
                    #expect(![5, 23].contains(index))
                    #expect(
                        try openedShares(dealt, of: jobs[index], keys: keys).count
                            == jobs[index].recipients.holders.count
                    )
                case .failure(let error):
                    #expect([5, 23].contains(index))
                    #expect(error.code == .cryptoFailure)
                    #expect(error.message.hasPrefix("cannot seal to this X25519 key"))
                }
            }
        }
    }
}
