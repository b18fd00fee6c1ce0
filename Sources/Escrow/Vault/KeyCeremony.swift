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

        // The master key lives in guarded memory and is wiped when this reference goes away; the shares never leave
        // guarded memory unencrypted (see ``ShareSet/split(_:publicKey:policy:vaultID:generation:time:using:)``).
        let master = BoxKeyPair()
        let shares = try ShareSet.split(
            master.secretKey,
            publicKey: master.publicKey,
            policy: policy,
            vaultID: vaultID,
            generation: generation,
            time: time,
            using: &rng
        )

        var vault = Vault(
            id: HexBytes(vaultID),
            name: name,
            state: .active,
            createdAt: time,
            updatedAt: time,
            generation: generation,
            policy: policy,
            publicKey: Base64Bytes(master.publicKey),
            shares: shares,
            metadata: metadata,
            entries: [:],
            lastWriter: SignerReference(writer.publicIdentity),
            signature: Base64Bytes([])
        )
        try vault.sign(by: writer, at: time)
        return vault
    }
}
