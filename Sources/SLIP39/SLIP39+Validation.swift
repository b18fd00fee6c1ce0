import Sodium

// Checks of caller-supplied splitting parameters. They branch only on public values (lengths, counts, exponents),
// except the passphrase check, which folds every byte into one flag before its single branch.

extension SLIP39 {
    /// Checks splitting parameters without splitting, so a tool can refuse them before asking for a passphrase.
    ///
    /// ``split(_:groupThreshold:groups:passphrase:iterationExponent:extendable:using:)`` runs the same checks
    /// (plus the passphrase's).
    ///
    /// - Parameters:
    ///   - secretByteCount: The master secret's length in bytes.
    ///   - groupThreshold: Groups needed to recover.
    ///   - groups: The groups.
    ///   - iterationExponent: The iteration exponent.
    /// - Throws: ``SLIP39Error/Code/invalidSecretLength``, ``SLIP39Error/Code/invalidShareCount``,
    ///   ``SLIP39Error/Code/invalidThreshold``, ``SLIP39Error/Code/invalidIterationExponent``.
    public static func validateParameters(
        secretByteCount: Int,
        groupThreshold: Int,
        groups: [Group],
        iterationExponent: Int
    ) throws(SLIP39Error) {
        try checkSecretLength(secretByteCount)
        try checkLayout(groupThreshold: groupThreshold, groups: groups)
        try checkIterationExponent(iterationExponent)
    }

    /// - Throws: ``SLIP39Error/Code/invalidSecretLength`` unless `16 ≤ byteCount ≤ 1024` and `byteCount` is even.
    static func checkSecretLength(_ byteCount: Int) throws(SLIP39Error) {
        let has = "the master secret has \(byteCount) byte\(byteCount == 1 ? "" : "s")"
        guard byteCount >= minimumSecretByteCount else {
            throw SLIP39Error(
                .invalidSecretLength,
                "\(has); SLIP-39 needs at least \(minimumSecretByteCount) (128 bits)"
            )
        }
        guard byteCount <= maximumSecretByteCount else {
            throw SLIP39Error(
                .invalidSecretLength,
                "\(has); this implementation accepts at most \(maximumSecretByteCount)"
            )
        }
        guard byteCount % 2 == 0 else {
            throw SLIP39Error(
                .invalidSecretLength,
                "\(has); SLIP-39 needs an even number of bytes (a multiple of 16 bits)"
            )
        }
    }

    /// - Throws: ``SLIP39Error/Code/invalidPassphrase`` unless every byte is printable ASCII (32...126).
    static func checkPassphrase(_ passphrase: SecureBytes) throws(SLIP39Error) {
        let allPrintable = passphrase.withUnsafeBytes { bytes in
            var outside: UInt32 = 0
            for byte in bytes {
                // A borrow out of (byte − 32) or (126 − byte) sets bit 31: the byte is outside 32...126.
                outside |= ((UInt32(byte) &- 32) | (126 &- UInt32(byte))) >> 31
            }
            return outside == 0
        }
        guard ConstantTime.declassify(allPrintable) else {
            throw SLIP39Error(
                .invalidPassphrase,
                "the passphrase may contain only printable ASCII characters (space to tilde), no tabs, line breaks or accents"
            )
        }
    }

    /// - Throws: ``SLIP39Error/Code/invalidIdentifier`` unless `0 ≤ identifier < 2¹⁵`.
    static func checkIdentifier(_ identifier: Int) throws(SLIP39Error) {
        guard (0..<(1 << identifierBitCount)).contains(identifier) else {
            throw SLIP39Error(.invalidIdentifier, "the identifier \(identifier) is outside 0...32767 (15 bits)")
        }
    }

    /// - Throws: ``SLIP39Error/Code/invalidIterationExponent`` unless `0 ≤ exponent ≤ 15`.
    static func checkIterationExponent(_ exponent: Int) throws(SLIP39Error) {
        guard (0...maximumIterationExponent).contains(exponent) else {
            throw SLIP39Error(
                .invalidIterationExponent,
                "the iteration exponent \(exponent) is outside 0...\(maximumIterationExponent)"
            )
        }
    }

    /// Checks a splitting layout against the rules of SLIP-0039.
    ///
    /// - Throws: ``SLIP39Error/Code/invalidShareCount`` if there are no groups, more than 16, or a group has
    ///   a member count outside `1...16`; ``SLIP39Error/Code/invalidThreshold`` if the group threshold is outside
    ///   `1...groups.count`, a member threshold is outside `1...memberCount`, or a group of threshold 1 has more
    ///   than one member.
    static func checkLayout(groupThreshold: Int, groups: [Group]) throws(SLIP39Error) {
        guard (1...maximumShareCount).contains(groups.count) else {
            throw SLIP39Error(
                .invalidShareCount,
                "\(groups.count) groups requested; SLIP-39 allows 1 to \(maximumShareCount)"
            )
        }
        guard (1...groups.count).contains(groupThreshold) else {
            throw SLIP39Error(
                .invalidThreshold,
                "group threshold \(groupThreshold) must be between 1 and the number of groups (\(groups.count))"
            )
        }
        for (position, group) in groups.enumerated() {
            let name = "group \(position + 1) (\(group.memberThreshold) of \(group.memberCount))"
            guard (1...maximumShareCount).contains(group.memberCount) else {
                throw SLIP39Error(
                    .invalidShareCount,
                    "\(name): a group has 1 to \(maximumShareCount) members"
                )
            }
            guard (1...group.memberCount).contains(group.memberThreshold) else {
                throw SLIP39Error(
                    .invalidThreshold,
                    "\(name): the member threshold must be between 1 and the member count"
                )
            }
            guard group.memberThreshold > 1 || group.memberCount == 1 else {
                throw SLIP39Error(
                    .invalidThreshold,
                    "\(name): a group with threshold 1 must have exactly one member (copy that share instead)"
                )
            }
        }
    }
}
