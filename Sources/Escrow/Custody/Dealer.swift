import Shamir
import Sodium

/// Deals a credential version: the depositor's side of "every credential version has its own key".
///
/// 1. draws a fresh 32-byte key `K` in guarded memory from libsodium's CSPRNG;
/// 2. seals the value under `K` (``ValueSeal``) and commits to `K` (``KeyCommitment``);
/// 3. splits `K` with `Shamir` under the policy (coefficients from the injected ``Shamir/RandomSource``) and checks
///    that the first `threshold` shares give `K` back (constant-time comparison);
/// 4. seals each share to its holder with one ``ShareSealer`` (one ephemeral key for the deposit) and publishes its
///    ``ComponentDigest``;
/// 5. wipes `K` and every share.
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
        try deal(
            value: value,
            binding: binding,
            generation: generation,
            threshold: threshold,
            holders: holders,
            using: &random,
            observe: { _ in }
        )
    }

    /// ``deal(value:binding:generation:threshold:holders:using:)`` with a hook that sees the fresh key and every
    /// guarded intermediate, so that tests can check they were wiped.
    static func deal(
        value: SecureBytes,
        binding: VersionBinding,
        generation: Int64,
        threshold: Int,
        holders: [DealHolder],
        using random: inout some RandomSource,
        observe: (SecureBytes) -> Void
    ) throws(EscrowError) -> DealtVersion {
        let key = SecureBytes.random(count: KeyCommitment.keyCount)
        observe(key)
        defer { key.wipe() }
        return try deal(
            value: value,
            key: key,
            binding: binding,
            generation: generation,
            threshold: threshold,
            holders: holders,
            using: &random,
            observe: observe
        )
    }

    /// The dealing with a caller-chosen key (tests only: a real deposit always draws a fresh key); the caller wipes
    /// `key`. `observe` sees every guarded intermediate.
    static func deal(
        value: SecureBytes,
        key: SecureBytes,
        binding: VersionBinding,
        generation: Int64,
        threshold: Int,
        holders: [DealHolder],
        using random: inout some RandomSource,
        observe: (SecureBytes) -> Void
    ) throws(EscrowError) -> DealtVersion {
        let xs = holders.map(\.x)
        try CustodyValidation.coordinates(xs, "the policy's holders")
        try CustodyValidation.policy(threshold: threshold, count: xs.count, "the policy's holders")
        let shape = try SharingShape(threshold: threshold, holders: xs)
        let positions = try holders.map { (holder) throws(EscrowError) in
            try SharePosition(binding: binding, generation: generation, x: holder.x)
        }
        guard key.count == KeyCommitment.keyCount else {
            throw EscrowError(.invalidInput, "a version key has \(KeyCommitment.keyCount) bytes")
        }

        let width = KeyCommitment.keyCount
        let rows = SecureBytes(count: holders.count * width)
        let check = SecureBytes(count: width)
        observe(rows)
        observe(check)
        defer {
            rows.wipe()
            check.wipe()
        }
        let consistent = try key.withUnsafeBytes { (key) throws(EscrowError) -> Bool in
            try rows.withUnsafeMutableBytes { (rows) throws(EscrowError) -> Bool in
                try check.withUnsafeMutableBytes { (check) throws(EscrowError) -> Bool in
                    do throws(ShamirError) {
                        try Shamir.split(key, threshold: threshold, xs: xs, into: rows, using: &random)
                        try Shamir.combine(
                            xs: Array(xs.prefix(threshold)),
                            rows: UnsafeRawBufferPointer(rebasing: rows[0..<(threshold * width)]),
                            into: check
                        )
                    } catch {
                        throw EscrowError(.sharingFailed, "cannot split the version key: \(error.message)")
                    }
                    return Sodium.constantTimeEquals(UnsafeRawBufferPointer(check), key)
                }
            }
        }
        guard consistent else {
            throw EscrowError(.tampered, "the shares do not recombine to the version key (self-check failed)")
        }

        let sealer = ShareSealer()
        var shares: [SealedComponent] = []
        shares.reserveCapacity(holders.count)
        for (index, holder) in holders.enumerated() {
            let share = try rows.withUnsafeBytes { (rows) throws(EscrowError) -> SealedComponent in
                try sealer.sealComponent(
                    UnsafeRawBufferPointer(rebasing: rows[(index * width)..<((index + 1) * width)]),
                    position: positions[index],
                    recipientBoxKey: holder.boxPublicKey
                )
            }
            shares.append(share)
        }
        return DealtVersion(
            sealedValue: try ValueSeal.seal(value, key: key, binding: binding),
            commitment: KeyCommitment.compute(key: key, binding: binding),
            ephemeralPublicKey: sealer.ephemeralPublicKey,
            shares: shares,
            shape: shape
        )
    }
}
