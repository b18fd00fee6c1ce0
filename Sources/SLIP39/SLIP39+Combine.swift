import Sodium

extension SLIP39 {
    /// Recovers the master secret from a set of shares (any order, groups mixed) and a passphrase.
    ///
    /// Every rule of the specification is checked before any interpolation: the shares agree on identifier,
    /// extendable flag, iteration exponent, group threshold, group count and length; the shares of each group agree
    /// on the member threshold and have distinct member indices; exactly `groupThreshold` groups are present, each
    /// with exactly its member threshold of shares. Then each group share and the encrypted master secret are
    /// recovered with their digests checked, and the result is decrypted.
    ///
    /// - Parameters:
    ///   - shares: The shares; messages name them by ``Share/label`` or, when it is `nil`, as `share N` (1-based).
    ///   - passphrase: The passphrase given at split time; empty (the default) for none.
    /// - Returns: The master secret, in guarded memory.
    /// - Throws: ``SLIP39Error/Code/noShares``, ``SLIP39Error/Code/identifierMismatch``,
    ///   ``SLIP39Error/Code/extendableFlagMismatch``, ``SLIP39Error/Code/iterationExponentMismatch``,
    ///   ``SLIP39Error/Code/groupParametersMismatch``, ``SLIP39Error/Code/lengthMismatch``,
    ///   ``SLIP39Error/Code/memberThresholdMismatch``, ``SLIP39Error/Code/duplicateMemberIndex``,
    ///   ``SLIP39Error/Code/insufficientGroups``, ``SLIP39Error/Code/tooManyGroups``,
    ///   ``SLIP39Error/Code/wrongMemberCount``, ``SLIP39Error/Code/digestMismatch``.
    /// - Complexity: `10000 << iterationExponent` HMAC-SHA256 evaluations for the decryption.
    /// - Important: A wrong passphrase is not detected: it yields a different master secret.
    public static func combine(
        _ shares: [Share],
        passphrase: SecureBytes = SecureBytes(count: 0)
    ) throws(SLIP39Error) -> SecureBytes {
        try recoverEncryptedMasterSecret(from: shares).decrypt(passphrase: passphrase)
    }

    /// Recovers the encrypted master secret and its parameters from a set of shares, without decrypting it
    /// (RecoverEMS of the reference implementation).
    ///
    /// - Parameter shares: The shares, any order.
    /// - Returns: The encrypted master secret.
    /// - Throws: The errors of ``combine(_:passphrase:)``.
    public static func recoverEncryptedMasterSecret(from shares: [Share]) throws(SLIP39Error) -> EncryptedMasterSecret {
        let groups = try checkedGroups(shares)
        let first = shares[0].header
        let length = shares[0].value.count
        let groupShares = try recoverGroupShares(shares, groups: groups)
        let ciphertext = SecureBytes(count: length)
        let digestMatches = groupShares.withUnsafeBytes { groupShares in
            ciphertext.withUnsafeMutableBytes { ciphertext in
                recoverSecret(
                    threshold: first.groupThreshold,
                    xs: groups.map { UInt8($0.index) },
                    rows: groupShares,
                    into: ciphertext
                )
            }
        }
        guard digestMatches else {
            throw SLIP39Error(
                .digestMismatch,
                "the groups (\(groups.map { "group \($0.index + 1)" }.joined(separator: ", "))) do not fit together: "
                    + "digest mismatch (a share was altered, or belongs to another share set)"
            )
        }
        return try EncryptedMasterSecret(
            ciphertext: ciphertext,
            identifier: first.identifier,
            isExtendable: first.isExtendable,
            iterationExponent: first.iterationExponent
        )
    }

    /// Recovers the group share of each group (the member level), checking each group's digest.
    ///
    /// - Parameters:
    ///   - shares: Shares that passed ``checkedGroups(_:)``.
    ///   - groups: The groups it returned.
    /// - Returns: One row of the share length per group, in the order of `groups`.
    /// - Throws: ``SLIP39Error/Code/digestMismatch`` naming the group and its shares.
    static func recoverGroupShares(_ shares: [Share], groups: [ShareGroup]) throws(SLIP39Error) -> SecureBytes {
        let length = shares[0].value.count
        let groupShares = SecureBytes(count: groups.count * length)
        try groupShares.withUnsafeMutableBytes { groupShares throws(SLIP39Error) in
            for (position, group) in groups.enumerated() {
                let members = group.members.map { shares[$0] }
                let rows = SecureBytes(count: members.count * length)
                rows.withUnsafeMutableBytes { rows in
                    for (row, member) in members.enumerated() {
                        member.value.withUnsafeBytes {
                            UnsafeMutableRawBufferPointer(rebasing: rows[(row * length)..<((row + 1) * length)])
                                .copyMemory(from: $0)
                        }
                    }
                }
                let digestMatches = rows.withUnsafeBytes { rows in
                    recoverSecret(
                        threshold: members[0].memberThreshold,
                        xs: members.map { UInt8($0.memberIndex) },
                        rows: rows,
                        into: UnsafeMutableRawBufferPointer(
                            rebasing: groupShares[(position * length)..<((position + 1) * length)]
                        )
                    )
                }
                guard digestMatches else {
                    throw SLIP39Error(
                        .digestMismatch,
                        "the shares of group \(group.index + 1) (\(names(group.members, in: shares))) do not fit "
                            + "together: digest mismatch (a share was altered, or belongs to another share set)"
                    )
                }
            }
        }
        return groupShares
    }

    /// The shares of one group: the group index and the positions of its shares in the caller's list.
    struct ShareGroup {
        var index: Int
        var members: [Int]
    }

    /// How messages name the share at `position`.
    static func name(_ position: Int, in shares: [Share]) -> String {
        shares[position].label ?? "share \(position + 1)"
    }

    /// How messages name several shares.
    static func names(_ positions: [Int], in shares: [Share]) -> String {
        positions.map { name($0, in: shares) }.joined(separator: ", ")
    }

    /// Checks every rule on a set of shares (only their public fields) and groups them by group index.
    ///
    /// - Returns: The groups present, sorted by group index.
    static func checkedGroups(_ shares: [Share]) throws(SLIP39Error) -> [ShareGroup] {
        guard let first = shares.first else { throw SLIP39Error(.noShares, "no shares were given") }
        let a = first.header
        let firstName = name(0, in: shares)
        for position in shares.indices.dropFirst() {
            let b = shares[position].header
            let here = name(position, in: shares)
            guard b.identifier == a.identifier else {
                throw SLIP39Error(
                    .identifierMismatch,
                    "\(here) belongs to a different share set than \(firstName): the identifiers differ "
                        + "(the first two words of all mnemonics must match)"
                )
            }
            guard b.isExtendable == a.isExtendable else {
                throw SLIP39Error(
                    .extendableFlagMismatch,
                    "\(here) and \(firstName) disagree on the extendable-backup flag (the second word differs)"
                )
            }
            guard b.iterationExponent == a.iterationExponent else {
                throw SLIP39Error(
                    .iterationExponentMismatch,
                    "\(here) has iteration exponent \(b.iterationExponent) but \(firstName) has \(a.iterationExponent) "
                        + "(the second word differs)"
                )
            }
            guard b.groupThreshold == a.groupThreshold, b.groupCount == a.groupCount else {
                throw SLIP39Error(
                    .groupParametersMismatch,
                    "\(here) needs \(b.groupThreshold) of \(b.groupCount) groups but \(firstName) needs "
                        + "\(a.groupThreshold) of \(a.groupCount)"
                )
            }
            guard shares[position].value.count == first.value.count else {
                throw SLIP39Error(
                    .lengthMismatch,
                    "\(here) has \(shares[position].value.count)-byte share value but \(firstName) has "
                        + "\(first.value.count) (mnemonics of different lengths)"
                )
            }
        }

        var groups: [ShareGroup] = []
        for position in shares.indices {
            let share = shares[position].header
            guard let slot = groups.firstIndex(where: { $0.index == share.groupIndex }) else {
                groups.append(ShareGroup(index: share.groupIndex, members: [position]))
                continue
            }
            let other = groups[slot].members[0]
            guard shares[other].memberThreshold == share.memberThreshold else {
                throw SLIP39Error(
                    .memberThresholdMismatch,
                    "\(name(position, in: shares)) needs \(share.memberThreshold) shares of group "
                        + "\(share.groupIndex + 1) but \(name(other, in: shares)) needs \(shares[other].memberThreshold)"
                )
            }
            if let twin = groups[slot].members.first(where: { shares[$0].memberIndex == share.memberIndex }) {
                throw SLIP39Error(
                    .duplicateMemberIndex,
                    "\(name(twin, in: shares)) and \(name(position, in: shares)) are both member "
                        + "\(share.memberIndex + 1) of group \(share.groupIndex + 1): give each share only once"
                )
            }
            groups[slot].members.append(position)
        }
        groups.sort { $0.index < $1.index }

        guard groups.count >= a.groupThreshold else {
            throw SLIP39Error(
                .insufficientGroups,
                "shares of \(groups.count) group\(groups.count == 1 ? "" : "s") were given but "
                    + "\(a.groupThreshold) of the \(a.groupCount) groups are needed"
            )
        }
        guard groups.count == a.groupThreshold else {
            throw SLIP39Error(
                .tooManyGroups,
                "shares of \(groups.count) groups were given but exactly \(a.groupThreshold) are needed: "
                    + "leave out the shares of \(groups.count - a.groupThreshold) group"
                    + (groups.count - a.groupThreshold == 1 ? "" : "s")
            )
        }
        for group in groups {
            let threshold = shares[group.members[0]].memberThreshold
            guard group.members.count == threshold else {
                let given = group.members.count
                throw SLIP39Error(
                    .wrongMemberCount,
                    "group \(group.index + 1) needs exactly \(threshold) share\(threshold == 1 ? "" : "s") but "
                        + "\(given) \(given == 1 ? "was" : "were") given (\(names(group.members, in: shares)))"
                )
            }
        }
        return groups
    }
}
