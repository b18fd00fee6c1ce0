import Shamir
import Sodium

extension ShareSet {
    /// One vault of a batch split: where the shares go and under which policy.
    public struct SplitTarget: Sendable {
        /// The vault identifier.
        public var vaultID: [UInt8]
        /// The generation the new shares belong to.
        public var generation: Int64
        /// Threshold and custodians with their x-coordinates (validated by the caller).
        public var policy: VaultPolicy

        /// Describes one vault of a batch.
        ///
        /// - Parameters:
        ///   - vaultID: The vault identifier.
        ///   - generation: The generation of the new shares.
        ///   - policy: The policy to split to.
        public init(vaultID: [UInt8], generation: Int64, policy: VaultPolicy) {
            self.vaultID = vaultID
            self.generation = generation
            self.policy = policy
        }
    }

    /// Splits a master key among a policy's custodians and encrypts each share to its custodian: the key ceremony
    /// (generation 1) and single-vault re-splits, as a batch of one (``splitBatch(_:targets:time:using:)``), after
    /// checking that `secretKey` is the secret half of `publicKey`.
    ///
    /// - Parameters:
    ///   - secretKey: The master key (X25519 secret key).
    ///   - publicKey: Its public key.
    ///   - policy: Threshold and custodians with their x-coordinates.
    ///   - vaultID: The vault identifier.
    ///   - generation: The generation the shares belong to.
    ///   - time: When the shares are made.
    ///   - rng: Randomness for the Shamir coefficients (a fresh `StreamRandom` in production).
    /// - Returns: The encrypted share set, envelopes in policy order.
    /// - Throws: ``EscrowError/Code/sharingFailed``, ``EscrowError/Code/cryptoFailure``, or
    ///   ``EscrowError/Code/tampered`` if the key does not match `publicKey` or the self-check fails.
    public static func split(
        _ secretKey: SecureBytes,
        publicKey: [UInt8],
        policy: VaultPolicy,
        vaultID: [UInt8],
        generation: Int64,
        time: UTCTime,
        using rng: inout some RandomSource
    ) throws(EscrowError) -> ShareSet {
        guard secretKey.count == MasterKey.byteCount,
            MasterKey.publicKeysMatch(secretKey, publicKeys: [publicKey]) == [true]
        else { throw EscrowError(.tampered, "the master key does not match the vault's public key") }
        let sets = try splitBatch(
            secretKey,
            targets: [SplitTarget(vaultID: vaultID, generation: generation, policy: policy)],
            time: time,
            using: &rng
        )
        guard let set = sets.first else { throw EscrowError(.sharingFailed, "the split produced no share set") }
        return set
    }

    /// Splits many master keys at once and encrypts every share to its custodian: the one place where share sets
    /// are made.
    ///
    /// - Vaults with the same policy are split together with one ``Shamir/Shamir/splitBatch(_:secretLength:threshold:xs:into:using:)``
    ///   call (every key byte still gets its own random polynomial), and the first `threshold` shares of the group are
    ///   recombined and compared (constant time) with the keys: a self-check of the whole group.
    /// - ONE fresh ephemeral X25519 key for the whole batch, ONE agreement per distinct custodian, then one AEAD per
    ///   share (see ``ShareEnvelope``); a fresh random digest key per vault.
    /// - Keys and shares stay in guarded memory: a few scratch buffers for the batch, none per vault.
    ///
    /// - Parameters:
    ///   - keys: `targets.count` master keys of ``MasterKey/byteCount`` bytes, key *i* at `i * byteCount`.
    ///   - targets: One per key: vault id, generation and policy.
    ///   - time: When the shares are made.
    ///   - rng: Randomness for the Shamir coefficients (a fresh `StreamRandom` per batch in production).
    /// - Returns: One share set per target, in order; all share the batch's ephemeral public key.
    /// - Throws: ``EscrowError/Code/sharingFailed`` for a policy Shamir refuses, ``EscrowError/Code/cryptoFailure``
    ///   if a custodian's key is unusable, ``EscrowError/Code/tampered`` if a self-check fails.
    /// - Complexity: O(total shares) symmetric work, one X25519 agreement per distinct custodian.
    /// - Precondition: `keys.count == targets.count * MasterKey.byteCount`.
    public static func splitBatch(
        _ keys: SecureBytes,
        targets: [SplitTarget],
        time: UTCTime,
        using rng: inout some RandomSource
    ) throws(EscrowError) -> [ShareSet] {
        let byteCount = MasterKey.byteCount
        precondition(keys.count == targets.count * byteCount, "one key per target")
        guard !targets.isEmpty else { return [] }
        var groups: [VaultPolicy: [Int]] = [:]
        var order: [VaultPolicy] = []
        for (index, target) in targets.enumerated() {
            if groups[target.policy] == nil { order.append(target.policy) }
            groups[target.policy, default: []].append(index)
        }
        let ephemeral = BoxKeyPair()
        var envelopeKeys: [Fingerprint: SecureBytes] = [:]
        func envelopeKey(for custodian: VaultPolicy.Custodian) throws(EscrowError) -> SecureBytes {
            if let key = envelopeKeys[custodian.fingerprint] { return key }
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
            envelopeKeys[custodian.fingerprint] = key
            return key
        }

        let largestGroup = order.map { groups[$0]?.count ?? 0 }.max() ?? 0
        let largestPolicy = order.map(\.custodians.count).max() ?? 0
        let secrets = SecureBytes(count: largestGroup * byteCount)
        let rows = SecureBytes(count: largestPolicy * largestGroup * byteCount)
        let check = SecureBytes(count: largestGroup * byteCount)
        let scratch = SecureBytes(count: ShareDigest.scratchCount(shareCount: byteCount))
        var sets = [ShareSet?](repeating: nil, count: targets.count)
        for policy in order {
            let members = groups[policy] ?? []
            let count = members.count
            let xs = policy.custodians.map(\.x)
            let length = count * byteCount
            // Gather the group's keys, split them together, and check that the first `threshold` rows give them back.
            let consistent = try keys.withUnsafeBytes { (keys) throws(EscrowError) -> Bool in
                try secrets.withUnsafeMutableBytes { (secrets) throws(EscrowError) -> Bool in
                    try rows.withUnsafeMutableBytes { (rows) throws(EscrowError) -> Bool in
                        try check.withUnsafeMutableBytes { (check) throws(EscrowError) -> Bool in
                            for (slot, member) in members.enumerated() {
                                UnsafeMutableRawBufferPointer(
                                    rebasing: secrets[(slot * byteCount)..<((slot + 1) * byteCount)]
                                )
                                .copyMemory(
                                    from: UnsafeRawBufferPointer(
                                        rebasing: keys[(member * byteCount)..<((member + 1) * byteCount)]
                                    )
                                )
                            }
                            let groupSecrets = UnsafeRawBufferPointer(rebasing: secrets[0..<length])
                            do throws(ShamirError) {
                                try Shamir.splitBatch(
                                    groupSecrets,
                                    secretLength: byteCount,
                                    threshold: policy.threshold,
                                    xs: xs,
                                    into: UnsafeMutableRawBufferPointer(rebasing: rows[0..<(xs.count * length)]),
                                    using: &rng
                                )
                                try Shamir.combineBatch(
                                    xs: Array(xs.prefix(policy.threshold)),
                                    rows: UnsafeRawBufferPointer(rebasing: rows[0..<(policy.threshold * length)]),
                                    secretLength: byteCount,
                                    into: UnsafeMutableRawBufferPointer(rebasing: check[0..<length])
                                )
                            } catch {
                                throw EscrowError(.sharingFailed, "cannot split the master keys: \(error.message)")
                            }
                            return Sodium.constantTimeEquals(
                                UnsafeRawBufferPointer(rebasing: check[0..<length]),
                                groupSecrets
                            )
                        }
                    }
                }
            }
            guard consistent else {
                throw EscrowError(.tampered, "the new shares do not recombine to the master keys (self-check failed)")
            }
            for (slot, member) in members.enumerated() {
                let target = targets[member]
                let digestKey = Sodium.randomBytes(ShareDigest.keyCount)
                var envelopes: [ShareEnvelope] = []
                envelopes.reserveCapacity(policy.custodians.count)
                for (row, custodian) in policy.custodians.enumerated() {
                    let key = try envelopeKey(for: custodian)
                    let start = (row * count + slot) * byteCount
                    let envelope = try rows.withUnsafeBytes { (rows) throws(EscrowError) -> ShareEnvelope in
                        try scratch.withUnsafeMutableBytes { (scratch) throws(EscrowError) -> ShareEnvelope in
                            try ShareEnvelope.seal(
                                share: UnsafeRawBufferPointer(rebasing: rows[start..<(start + byteCount)]),
                                key: key,
                                custodian: custodian,
                                vaultID: target.vaultID,
                                generation: target.generation,
                                digestKey: digestKey,
                                scratch: scratch
                            )
                        }
                    }
                    envelopes.append(envelope)
                }
                sets[member] = ShareSet(
                    createdAt: time,
                    ephemeralPublicKey: ephemeral.publicKey,
                    digestKey: digestKey,
                    envelopes: envelopes
                )
            }
        }
        return sets.compactMap { $0 }
    }
}
