import Shamir
import Sodium

extension SLIP39 {
    /// Splits a master secret into SLIP-0039 shares (GenerateShares of the specification).
    ///
    /// The secret is encrypted under `passphrase`, split into `groups.count` group shares of which
    /// `groupThreshold` are needed, and each group share into its members. Random bytes are drawn in the order
    /// of the reference implementation (identifier, group level, then each group in order), so a deterministic
    /// source reproduces its output exactly.
    ///
    /// ```swift
    /// var random = StreamRandom()   // Escrow conforms it to RandomSource
    /// let groups = try SLIP39.split(secret, groupThreshold: 1, groups: [.init(memberThreshold: 3, memberCount: 5)],
    ///                               using: &random)
    /// ```
    ///
    /// - Parameters:
    ///   - masterSecret: 16 to ``maximumSecretByteCount`` bytes, an even number (128 or 256 bits for wallets).
    ///   - groupThreshold: Groups needed to recover, `1...groups.count`.
    ///   - groups: The groups, in order (group *i* gets index *i − 1*); 1 to 16 of them.
    ///   - passphrase: Printable ASCII; empty (the default) for none.
    ///   - iterationExponent: PBKDF2 runs `10000 << iterationExponent` iterations; `0...15`, default 1.
    ///   - extendable: Whether to set the extendable-backup flag (default `true`, like the reference).
    ///   - random: A cryptographically secure source (a deterministic one only in tests).
    /// - Returns: One array of shares per group, in group order; members in index order.
    /// - Throws: ``SLIP39Error/Code/invalidSecretLength``, ``SLIP39Error/Code/invalidShareCount``,
    ///   ``SLIP39Error/Code/invalidThreshold``, ``SLIP39Error/Code/invalidIterationExponent``,
    ///   ``SLIP39Error/Code/invalidPassphrase``.
    /// - Complexity: `10000 << iterationExponent` HMAC-SHA256 evaluations for the encryption, plus
    ///   O(shares × threshold × secret length) field operations.
    public static func split(
        _ masterSecret: SecureBytes,
        groupThreshold: Int,
        groups: [Group],
        passphrase: SecureBytes = SecureBytes(count: 0),
        iterationExponent: Int = defaultIterationExponent,
        extendable: Bool = true,
        using random: inout some RandomSource
    ) throws(SLIP39Error) -> [[Share]] {
        try validateParameters(
            secretByteCount: masterSecret.count,
            groupThreshold: groupThreshold,
            groups: groups,
            iterationExponent: iterationExponent
        )
        try checkPassphrase(passphrase)
        let identifier = randomIdentifier(using: &random)
        let encrypted = try EncryptedMasterSecret(
            encrypting: masterSecret,
            passphrase: passphrase,
            identifier: identifier,
            isExtendable: extendable,
            iterationExponent: iterationExponent
        )
        return try split(encrypted, groupThreshold: groupThreshold, groups: groups, using: &random)
    }

    /// Splits an already encrypted master secret into shares (SplitEMS of the reference implementation).
    ///
    /// - Parameters:
    ///   - encrypted: The encrypted master secret and its identifier, flag and exponent.
    ///   - groupThreshold: Groups needed to recover, `1...groups.count`.
    ///   - groups: The groups, in order; 1 to 16 of them.
    ///   - random: A cryptographically secure source.
    /// - Returns: One array of shares per group, in group order.
    /// - Throws: ``SLIP39Error/Code/invalidShareCount``, ``SLIP39Error/Code/invalidThreshold``.
    /// - Complexity: O(shares × threshold × secret length) field operations.
    public static func split(
        _ encrypted: EncryptedMasterSecret,
        groupThreshold: Int,
        groups: [Group],
        using random: inout some RandomSource
    ) throws(SLIP39Error) -> [[Share]] {
        try checkLayout(groupThreshold: groupThreshold, groups: groups)
        let length = encrypted.ciphertext.count
        let groupShares = SecureBytes(count: groups.count * length)
        groupShares.withUnsafeMutableBytes { groupShares in
            encrypted.ciphertext.withUnsafeBytes { secret in
                splitSecret(
                    threshold: groupThreshold,
                    shareCount: groups.count,
                    secret: secret,
                    into: groupShares,
                    using: &random
                )
            }
        }
        var result: [[Share]] = []
        for (groupIndex, group) in groups.enumerated() {
            let memberShares = SecureBytes(count: group.memberCount * length)
            memberShares.withUnsafeMutableBytes { memberShares in
                groupShares.withUnsafeBytes { groupShares in
                    splitSecret(
                        threshold: group.memberThreshold,
                        shareCount: group.memberCount,
                        secret: UnsafeRawBufferPointer(
                            rebasing: groupShares[(groupIndex * length)..<((groupIndex + 1) * length)]
                        ),
                        into: memberShares,
                        using: &random
                    )
                }
            }
            result.append(
                (0..<group.memberCount).map { memberIndex in
                    Share(
                        header: ShareHeader(
                            identifier: encrypted.identifier,
                            isExtendable: encrypted.isExtendable,
                            iterationExponent: encrypted.iterationExponent,
                            groupIndex: groupIndex,
                            groupThreshold: groupThreshold,
                            groupCount: groups.count,
                            memberIndex: memberIndex,
                            memberThreshold: group.memberThreshold
                        ),
                        value: memberShares.slice((memberIndex * length)..<((memberIndex + 1) * length)),
                        label: "group \(groupIndex + 1) member \(memberIndex + 1)"
                    )
                }
            )
        }
        return result
    }

    /// A random 15-bit identifier: two bytes from `random`, big-endian, top bit cleared (as the reference does).
    static func randomIdentifier(using random: inout some RandomSource) -> Int {
        var bytes: (UInt8, UInt8) = (0, 0)
        withUnsafeMutableBytes(of: &bytes) { random.fill($0) }
        return (Int(bytes.0) << 8 | Int(bytes.1)) & ((1 << identifierBitCount) - 1)
    }
}
