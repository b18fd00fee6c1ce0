import Shamir
import Sodium

/// The key ceremony that creates a vault: generate the master key in guarded memory, split it among the custodians
/// (x = 1…n in the order given), encrypt each share to its custodian, record each share's keyed digest, check that the
/// shares recombine to the key, and sign the new vault file. No share or key leaves guarded memory unencrypted.
public enum KeyCeremony {
    /// Runs the ceremony.
    ///
    /// - Parameters:
    ///   - name: The vault name.
    ///   - threshold: How many custodians must agree to open it.
    ///   - custodians: The custodians, in x-coordinate order (their public identities from the roster).
    ///   - metadata: Validated public metadata.
    ///   - writer: The identity running the ceremony (signs the vault file).
    ///   - time: The ceremony time.
    ///   - rng: Randomness for the Shamir coefficients (a fresh `StreamRandom` in production).
    /// - Returns: The new, signed vault (generation 1, state active, no entries).
    /// - Throws: ``EscrowError/Code/invalidInput`` for a bad name, threshold, duplicate custodian or metadata;
    ///   ``EscrowError/Code/cryptoFailure`` or ``EscrowError/Code/sharingFailed`` if a primitive fails.
    public static func run(
        name: String,
        threshold: Int,
        custodians: [PublicIdentity],
        metadata: [String: String],
        writer: CustodianIdentity,
        time: UTCTime,
        using rng: inout some RandomSource
    ) throws(EscrowError) -> Vault {
        try NameRules.validateVaultName(name)
        try VaultPolicy.validate(threshold: threshold, custodianCount: custodians.count)
        try VaultMetadata.validate(metadata)
        var seen = Set<[UInt8]>()
        for custodian in custodians where !seen.insert(custodian.signingKey).inserted {
            throw EscrowError(.invalidInput, "custodian '\(custodian.name)' is named twice")
        }
        let policy = VaultPolicy(
            threshold: threshold,
            custodians: custodians.enumerated().map { VaultPolicy.Custodian(identity: $1, x: UInt8($0 + 1)) }
        )
        let vaultID = Sodium.randomBytes(Vault.idCount)
        let generation: Int64 = 1

        // The master key and its shares live in guarded memory and are wiped when these references go away.
        let master = BoxKeyPair()
        let rows = try MasterKey.split(
            master.secretKey,
            threshold: threshold,
            xs: policy.custodians.map(\.x),
            using: &rng
        )

        let ephemeral = BoxKeyPair()
        let digestKey = Sodium.randomBytes(ShareDigest.keyCount)
        var envelopes: [ShareEnvelope] = []
        for (index, custodian) in policy.custodians.enumerated() {
            let recipient = try custodians[index].boxPublicKey()
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
        let check = (0..<threshold).map { index in
            MasterKey.Share(
                x: policy.custodians[index].x,
                value: rows.slice(index * MasterKey.byteCount..<(index + 1) * MasterKey.byteCount)
            )
        }
        _ = try MasterKey.combine(check, publicKey: master.publicKey)

        var vault = Vault(
            id: HexBytes(vaultID),
            name: name,
            state: .active,
            createdAt: time,
            updatedAt: time,
            generation: generation,
            policy: policy,
            publicKey: Base64Bytes(master.publicKey),
            shares: ShareSet(
                createdAt: time,
                ephemeralPublicKey: ephemeral.publicKey,
                digestKey: digestKey,
                envelopes: envelopes
            ),
            metadata: metadata,
            entries: [:],
            lastWriter: SignerReference(writer.publicIdentity),
            signature: Base64Bytes([])
        )
        try vault.sign(by: writer, at: time)
        return vault
    }
}
