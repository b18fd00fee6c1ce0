import Dispatch
import Shamir
import Sodium

/// Deals a credential version: the depositor's side of "every credential version has its own key".
///
/// 1. draws a fresh 32-byte key `K` in guarded memory from libsodium's CSPRNG;
/// 2. seals the value under `K` (``ValueSeal``) and commits to `K` (``KeyCommitment``);
/// 3. splits `K` with `Shamir` under the policy (coefficients from the injected ``Shamir/RandomSource``) and checks
///    that the first `threshold` shares give `K` back (constant-time comparison);
/// 4. seals each share to its holder under a fresh ephemeral X25519 key pair of the version (one agreement per holder,
///    the ``ShareSealer`` construction) and publishes its ``ComponentDigest``;
/// 5. wipes `K`, every share and every derived key.
///
/// A batch (``deal(_:using:)``) deals its versions on every core, each worker in its own guarded ``SecureArena``
/// (``DealWorkspace``); the coefficients of every split are drawn beforehand on the calling thread, in order, from
/// the caller's ``Shamir/RandomSource``, so the shares are exactly those a dealing one after another would make.
public enum Dealer {
    /// Deals one version.
    ///
    /// - Parameters:
    ///   - value: The credential value.
    ///   - binding: The version.
    ///   - generation: The vault generation whose policy is used.
    ///   - threshold: The policy's threshold, `2...holders.count`.
    ///   - holders: The policy's holders: distinct non-zero x, at most 255.
    ///   - random: Randomness for the polynomial coefficients (a fresh `StreamRandom` in production; a seeded one in
    ///     tests).
    /// - Returns: The publishable version.
    /// - Throws: ``EscrowError/Code/invalidInput`` for an invalid policy or a holder key of the wrong length;
    ///   ``EscrowError/Code/cryptoFailure`` if a holder's key is unusable; ``EscrowError/Code/tampered`` if the
    ///   self-check fails.
    /// - Complexity: O(`holders.count` × `threshold`) GF(256) work on 32 bytes, one X25519 agreement per holder.
    public static func deal(
        value: SecureBytes,
        binding: VersionBinding,
        generation: Int64,
        threshold: Int,
        holders: [DealHolder],
        using random: inout some RandomSource
    ) throws(EscrowError) -> DealtVersion {
        let recipients = try DealRecipients(threshold: threshold, holders: holders)
        let job = DealJob(value: value, binding: binding, generation: generation, recipients: recipients)
        return try deal([job], key: nil, using: &random, observe: { _ in })[0].get()
    }

    /// The dealing of one version with a caller-chosen key (tests only: a real deposit always draws a fresh key); the
    /// caller wipes `key`. `observe` sees every guarded arena while it holds secrets.
    static func deal(
        value: SecureBytes,
        key: SecureBytes,
        binding: VersionBinding,
        generation: Int64,
        threshold: Int,
        holders: [DealHolder],
        using random: inout some RandomSource,
        observe: @escaping @Sendable (SecureArena) -> Void
    ) throws(EscrowError) -> DealtVersion {
        let recipients = try DealRecipients(threshold: threshold, holders: holders)
        let job = DealJob(value: value, binding: binding, generation: generation, recipients: recipients)
        return try deal([job], key: key, using: &random, observe: observe)[0].get()
    }

    /// Deals many versions on every core: each version gets its own fresh key, ephemeral key pair and polynomial.
    ///
    /// The coefficients are drawn from `random` on the calling thread, job after job (the same bytes in the same
    /// order as dealing the jobs one after another with ``deal(value:binding:generation:threshold:holders:using:)``);
    /// keys, ephemeral keys and nonces come from libsodium's generator, which is thread-safe. Guarded memory is
    /// bounded: one arena of coefficients per wave of at most ``waveCount`` jobs and one small arena per worker,
    /// each wiped after use.
    ///
    /// - Parameters:
    ///   - jobs: The versions, in order.
    ///   - random: Randomness for the polynomial coefficients (a fresh `StreamRandom` in production).
    /// - Returns: One result per job, in the order of `jobs`: the publishable version, or why it could not be dealt
    ///   (``EscrowError/Code/cryptoFailure`` if a holder's key is unusable, ``EscrowError/Code/tampered`` if the
    ///   self-check fails).
    /// - Complexity: Per job one X25519 key generation, one agreement, AEAD seal and two BLAKE2b per holder, on
    ///   every core.
    public static func deal(_ jobs: [DealJob], using random: inout some RandomSource)
        -> [Result<DealtVersion, EscrowError>]
    {
        deal(jobs, key: nil, using: &random, observe: { _ in })
    }

    /// The most jobs whose coefficients are held in guarded memory at once.
    static let waveCount = 1_024
    /// The most workers (chunks of a wave) dealing at once; the system runs as many at a time as it has cores.
    static let workerCount = 16

    /// ``deal(_:using:)`` with a caller-chosen key for every job (tests only: a real deposit always draws a fresh
    /// key; the caller wipes `key`) and a hook that sees every guarded arena while it holds secrets, so that tests
    /// can check they were wiped. `observe` is called from the workers.
    static func deal(
        _ jobs: [DealJob],
        key: SecureBytes?,
        using random: inout some RandomSource,
        observe: @escaping @Sendable (SecureArena) -> Void
    ) -> [Result<DealtVersion, EscrowError>] {
        var results: [Result<DealtVersion, EscrowError>] = []
        results.reserveCapacity(jobs.count)
        var start = 0
        while start < jobs.count {
            let wave = Array(jobs[start..<min(start + waveCount, jobs.count)])
            results += dealWave(wave, key: key, using: &random, observe: observe)
            start += wave.count
        }
        return results
    }

    /// Draws the coefficients of `wave` in order, then deals its jobs in chunks on every core.
    private static func dealWave(
        _ wave: [DealJob],
        key: SecureBytes?,
        using random: inout some RandomSource,
        observe: @escaping @Sendable (SecureArena) -> Void
    ) -> [Result<DealtVersion, EscrowError>] {
        let width = KeyCommitment.keyCount
        let coefficientArena = SecureArena(
            slotByteCount: width,
            slotCount: max(1, wave.reduce(0) { $0 + $1.recipients.threshold - 1 })
        )
        var coefficients: [Result<SecureArena.Slot, EscrowError>] = []
        coefficients.reserveCapacity(wave.count)
        for job in wave {
            do {
                let slot = try coefficientArena.allocate(slots: job.recipients.threshold - 1)
                slot.withUnsafeMutableBytes { random.fill($0) }
                coefficients.append(.success(slot))
            } catch {
                coefficients.append(
                    .failure(EscrowError(.cryptoFailure, "cannot reserve guarded memory: \(error.message)"))
                )
            }
        }
        observe(coefficientArena)
        defer { coefficientArena.reset() }

        let results = ParallelResults<DealtVersion>(count: wave.count)
        let chunkCount = min(wave.count, workerCount)
        let drawn = coefficients
        // Each chunk has its own workspace; the jobs, the drawn coefficients (disjoint slots, each read and wiped by
        // the one worker dealing its job) and `key` are only read; each result index is written by one worker. The
        // coefficient arena is neither allocated from nor reset until every worker has returned.
        let dealChunk: @Sendable (Int) -> Void = { chunk in
            let workspace = DealWorkspace(observe: observe)
            for index in (wave.count * chunk / chunkCount)..<(wave.count * (chunk + 1) / chunkCount) {
                results.set(
                    index,
                    Result { () throws(EscrowError) -> DealtVersion in
                        let slot = try drawn[index].get()
                        defer { slot.wipe() }
                        return try slot.withUnsafeBytes { (coefficients) throws(EscrowError) in
                            try workspace.deal(wave[index], coefficients: coefficients, chosenKey: key)
                        }
                    }
                )
            }
        }
        if chunkCount == 1 {
            dealChunk(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunkCount, execute: dealChunk)
        }
        return wave.indices.map { index in Result { () throws(EscrowError) in try results.get(index) } }
    }
}
