import Shamir
import Sodium

extension ShareSet {
    /// Splits a master key among a policy's custodians and encrypts each share to its custodian: the one place where
    /// share sets are made, for the key ceremony (generation 1) and for every re-split (same key, new polynomial).
    ///
    /// One ephemeral X25519 key for the whole set, one agreement per custodian, one AEAD per share (see
    /// ``ShareEnvelope``); a fresh random digest key; and a self-check that the first `threshold` shares give back
    /// `publicKey`. The shares never leave guarded memory unencrypted.
    ///
    /// - Parameters:
    ///   - secretKey: The master key (X25519 secret key).
    ///   - publicKey: Its public key, for the self-check.
    ///   - policy: Threshold and custodians with their x-coordinates.
    ///   - vaultID: The vault identifier.
    ///   - generation: The generation the shares belong to.
    ///   - time: When the shares are made.
    ///   - rng: Randomness for the Shamir coefficients (a fresh `StreamRandom` in production).
    /// - Returns: The encrypted share set, envelopes in policy order.
    /// - Throws: ``EscrowError/Code/sharingFailed``, ``EscrowError/Code/cryptoFailure``, or
    ///   ``EscrowError/Code/tampered`` if the self-check fails.
    public static func split(
        _ secretKey: SecureBytes,
        publicKey: [UInt8],
        policy: VaultPolicy,
        vaultID: [UInt8],
        generation: Int64,
        time: UTCTime,
        using rng: inout some RandomSource
    ) throws(EscrowError) -> ShareSet {
        let rows = try MasterKey.split(
            secretKey,
            threshold: policy.threshold,
            xs: policy.custodians.map(\.x),
            using: &rng
        )
        let ephemeral = BoxKeyPair()
        let digestKey = Sodium.randomBytes(ShareDigest.keyCount)
        var envelopes: [ShareEnvelope] = []
        for (index, custodian) in policy.custodians.enumerated() {
            let recipient = try custodian.publicIdentity().boxPublicKey()
            let shared: BoxSharedKey
            do {
                shared = try BoxSharedKey(publicKey: recipient, secretKey: ephemeral.secretKey)
            } catch {
                throw EscrowError(.cryptoFailure, "cannot encrypt to custodian '\(custodian.name)': \(error.message)")
            }
            let key = ShareEnvelope.envelopeKey(
                shared: shared,
                ephemeralPublicKey: ephemeral.publicKey,
                recipientBoxKey: recipient
            )
            let range = index * MasterKey.byteCount..<(index + 1) * MasterKey.byteCount
            let envelope = try rows.withUnsafeBytes { (all) throws(EscrowError) -> ShareEnvelope in
                try ShareEnvelope.seal(
                    share: UnsafeRawBufferPointer(rebasing: all[range]),
                    key: key,
                    custodian: custodian,
                    vaultID: vaultID,
                    generation: generation,
                    digestKey: digestKey
                )
            }
            envelopes.append(envelope)
        }

        // Self-check: the first `threshold` shares must give back the public key.
        let check = (0..<policy.threshold).map { index in
            MasterKey.Share(
                x: policy.custodians[index].x,
                value: rows.slice(index * MasterKey.byteCount..<(index + 1) * MasterKey.byteCount)
            )
        }
        _ = try MasterKey.combine(check, publicKey: publicKey)
        return ShareSet(
            createdAt: time,
            ephemeralPublicKey: ephemeral.publicKey,
            digestKey: digestKey,
            envelopes: envelopes
        )
    }
}
