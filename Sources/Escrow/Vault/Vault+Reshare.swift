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
        guard state != .released else {
            throw EscrowError(.conflict, "vault '\(name)' was released: it cannot be re-split")
        }
        try policy.validate(source: "the new policy of '\(name)'")
        let next = generation + 1
        shares = try ShareSet.split(
            masterKey.secretKey,
            publicKey: publicKey.bytes,
            policy: policy,
            vaultID: id.bytes,
            generation: next,
            time: time,
            using: &rng
        )
        self.policy = policy
        generation = next
    }
}
