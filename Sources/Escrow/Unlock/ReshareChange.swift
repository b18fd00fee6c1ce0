/// A bulk re-split in the words of the command line (`escrow vault reshare --all --remove bob --add frank`): which
/// vaults, which custodians leave and join, and optionally a new threshold. ``Store/planReshare(_:)`` turns it into the
/// exact new policy of each vault (see ``ResharePlan``).
///
/// For each selected vault the new custodians are its current ones without the removed, followed by the added ones
/// it does not have yet, numbered x = 1…n in that order; the threshold is ``threshold`` if given, else the vault's own.
/// A vault that would keep fewer custodians than its threshold (or fewer than two) is refused up front, by name.
public struct ReshareChange: Sendable {
    /// Which vaults to consider.
    public enum Selection: Hashable, Sendable {
        /// Every vault of the store. With removals, a vault that holds none of the removed custodians is skipped; a
        /// vault whose policy would not change is skipped.
        case all
        /// These vaults (each must exist), whether or not they hold a removed custodian.
        case vaults([String])
    }

    /// Which vaults.
    public var selection: Selection
    /// Roster names of the custodians who leave.
    public var remove: [String]
    /// Roster names of the custodians who join (appended to each vault's custodians, in this order).
    public var add: [String]
    /// The new threshold of every selected vault, or `nil` to keep each vault's own.
    public var threshold: Int?
    /// Why (required; recorded in the request and the audit log).
    public var reason: String
    /// Why closed vaults are re-split anyway (`--force`); without it closed vaults are skipped.
    public var forceReason: String?

    /// Describes a bulk re-split.
    ///
    /// - Parameters:
    ///   - selection: Which vaults.
    ///   - remove: Custodians who leave.
    ///   - add: Custodians who join.
    ///   - threshold: A new threshold for every vault, or `nil`.
    ///   - reason: Why.
    ///   - forceReason: Why closed vaults are included, or `nil` to skip them.
    public init(
        selection: Selection,
        remove: [String] = [],
        add: [String] = [],
        threshold: Int? = nil,
        reason: String,
        forceReason: String? = nil
    ) {
        self.selection = selection
        self.remove = remove
        self.add = add
        self.threshold = threshold
        self.reason = reason
        self.forceReason = forceReason
    }

    /// Checks the change itself against the roster: something changes, names are distinct, known and not both
    /// removed and added.
    ///
    /// - Parameter roster: The current roster.
    /// - Returns: The leaving custodians' fingerprints and the joining custodians' identities, in order.
    /// - Throws: ``EscrowError/Code/invalidInput`` or ``EscrowError/Code/notFound``, naming the custodian.
    func resolve(in roster: Roster) throws(EscrowError) -> (remove: Set<Fingerprint>, add: [PublicIdentity]) {
        try NameRules.validateReason(reason)
        try NameRules.validateReason(forceReason)
        guard !remove.isEmpty || !add.isEmpty || threshold != nil else {
            throw EscrowError(.invalidInput, "say what changes", hint: .nameReshareChange)
        }
        if case .vaults(let names) = selection {
            guard !names.isEmpty else { throw EscrowError(.invalidInput, "name at least one vault to re-split") }
            var seen = Set<String>()
            for name in names where !seen.insert(name).inserted {
                throw EscrowError(.invalidInput, "vault '\(name)' is named twice")
            }
        }
        var seen = Set<String>()
        for name in remove + add where !seen.insert(name).inserted {
            throw EscrowError(
                .invalidInput,
                remove.contains(name) && add.contains(name)
                    ? "custodian '\(name)' is both removed and added"
                    : "custodian '\(name)' is named twice"
            )
        }
        var removed = Set<Fingerprint>()
        for name in remove {
            removed.insert(try roster.requireMember(named: name).identity.fingerprint)
        }
        var added: [PublicIdentity] = []
        for name in add {
            added.append(try roster.requireMember(named: name, joining: true).identity)
        }
        return (removed, added)
    }

    /// The new policy of one vault.
    ///
    /// - Parameters:
    ///   - vault: The vault as it is now.
    ///   - remove: The leaving custodians' fingerprints.
    ///   - add: The joining custodians.
    /// - Returns: The policy, custodians numbered x = 1…n.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the vault when the result has too few custodians for its
    ///   threshold (or is otherwise not a valid policy).
    func policy(for vault: Vault, removing remove: Set<Fingerprint>, adding add: [PublicIdentity]) throws(EscrowError)
        -> VaultPolicy
    {
        var identities: [PublicIdentity] = []
        for custodian in vault.policy.custodians where !remove.contains(custodian.fingerprint) {
            identities.append(try custodian.publicIdentity())
        }
        for identity in add where !identities.contains(where: { $0.fingerprint == identity.fingerprint }) {
            identities.append(identity)
        }
        let newThreshold = threshold ?? vault.policy.threshold
        guard identities.count >= newThreshold else {
            let names = identities.map(\.name).joined(separator: ", ")
            throw EscrowError(
                .invalidInput,
                "vault '\(vault.name)' would keep \(identities.count) custodian\(identities.count == 1 ? "" : "s") (\(names)) for its threshold of \(newThreshold): add custodians (--add) or lower the threshold (--threshold)"
            )
        }
        do {
            try VaultPolicy.validate(threshold: newThreshold, custodianCount: identities.count)
        } catch {
            throw EscrowError(.invalidInput, "vault '\(vault.name)': \(error.message)")
        }
        return VaultPolicy(
            threshold: newThreshold,
            custodians: identities.enumerated().map { VaultPolicy.Custodian(identity: $1, x: UInt8($0 + 1)) }
        )
    }
}
