import Shamir
import Sodium

extension Vault {
    /// Re-splits the same master key to a new policy: a new random polynomial, new envelopes for the new custodians,
    /// a new digest key, generation + 1. The old envelopes are gone, so shares of the old generation no longer count.
    /// The caller re-signs the vault (``sign(by:at:)``) and commits it.
    ///
    /// - Parameters:
    ///   - policy: The new policy (validated; x = 1…n in order).
    ///   - masterKey: The rebuilt master key pair.
    ///   - time: Now.
    ///   - rng: Randomness for the split (a fresh `StreamRandom` in production).
    /// - Throws: ``EscrowError/Code/tampered`` if the key is not this vault's; ``EscrowError/Code/conflict`` if the
    ///   vault is released; errors of ``ShareSet/split(_:publicKey:policy:vaultID:generation:time:using:)``.
    public mutating func reshare(
        to policy: VaultPolicy,
        masterKey: BoxKeyPair,
        at time: UTCTime,
        using rng: inout some RandomSource
    ) throws(EscrowError) {
        guard masterKey.publicKey == publicKey.bytes else {
            throw EscrowError(.tampered, "the key does not belong to vault '\(name)'")
        }
        try checkReshare(to: policy)
        let shares = try ShareSet.split(
            masterKey.secretKey,
            publicKey: publicKey.bytes,
            policy: policy,
            vaultID: id.bytes,
            generation: generation + 1,
            time: time,
            using: &rng
        )
        adopt(shares, policy: policy)
    }

    /// Checks that the vault may be re-split to `policy`: not released, and the policy valid.
    ///
    /// - Parameter policy: The new policy.
    /// - Throws: ``EscrowError/Code/conflict`` for a released vault; ``EscrowError/Code/malformedFile`` or
    ///   ``EscrowError/Code/tampered`` for a bad policy.
    func checkReshare(to policy: VaultPolicy) throws(EscrowError) {
        guard state != .released else {
            throw EscrowError(.conflict, "vault '\(name)' was released: it cannot be re-split")
        }
        try policy.validate(source: "the new policy of '\(name)'")
    }

    /// Installs a new share set of the next generation (made by
    /// ``ShareSet/splitBatch(_:targets:time:using:)`` for `generation + 1`) with its policy.
    ///
    /// - Parameters:
    ///   - shares: The new share set.
    ///   - policy: The policy it was split to.
    mutating func adopt(_ shares: ShareSet, policy: VaultPolicy) {
        self.shares = shares
        self.policy = policy
        generation += 1
    }
}
