/// The exact outcome of a ``ReshareChange`` against the store: the vaults to re-split, each with its current and new
/// policy (the request's targets), and the vaults left out with the reason.
public struct ResharePlan: Sendable {
    /// A vault to re-split.
    public struct Item: Sendable {
        /// The vault as it is now.
        public let vault: Vault
        /// The request target: vault id, name, current generation and the new policy.
        public let target: UnlockTarget
    }

    /// A vault left out, and why.
    public struct Skipped: Sendable {
        /// The vault's name.
        public let vaultName: String
        /// Why it is not re-split (one line).
        public let reason: String
    }

    /// The change planned.
    public let change: ReshareChange
    /// The vaults to re-split, sorted by name.
    public let items: [Item]
    /// The vaults left out, sorted by name.
    public let skipped: [Skipped]

    /// The request targets, in order.
    public var targets: [UnlockTarget] { items.map(\.target) }

    /// The distinct policy changes and how many vaults each concerns, most common first: `3 of 5 → 3 of 5: remove
    /// bob, add frank` (see ``PolicyChange``).
    public var changes: [(change: PolicyChange, count: Int)] {
        var counts: [PolicyChange: Int] = [:]
        var order: [PolicyChange] = []
        for item in items {
            guard let policy = item.target.newPolicy else { continue }
            let change = PolicyChange(from: item.vault.policy, to: policy)
            if counts[change] == nil { order.append(change) }
            counts[change, default: 0] += 1
        }
        return order.map { ($0, counts[$0] ?? 0) }.sorted { $0.count > $1.count }
    }
}

/// How a vault's policy changes, in terms people read: who leaves, who joins, and the threshold before and after.
public struct PolicyChange: Hashable, Sendable, CustomStringConvertible {
    /// The threshold and custodian count before: `3 of 5`.
    public let before: String
    /// The threshold and custodian count after.
    public let after: String
    /// Custodians who leave, by name, in policy order.
    public let removed: [String]
    /// Custodians who join, by name, in their new order.
    public let added: [String]

    /// Compares two policies (custodians matched by fingerprint).
    ///
    /// - Parameters:
    ///   - old: The current policy.
    ///   - new: The new policy.
    public init(from old: VaultPolicy, to new: VaultPolicy) {
        let oldKeys = Set(old.custodians.map(\.fingerprint))
        let newKeys = Set(new.custodians.map(\.fingerprint))
        before = old.summary
        after = new.summary
        removed = old.custodians.filter { !newKeys.contains($0.fingerprint) }.map(\.name)
        added = new.custodians.filter { !oldKeys.contains($0.fingerprint) }.map(\.name)
    }

    /// `3 of 5 → 3 of 5: remove bob; add frank` (or `fresh shares, same custodians`).
    public var description: String {
        var parts: [String] = []
        if !removed.isEmpty { parts.append("remove \(removed.joined(separator: ", "))") }
        if !added.isEmpty { parts.append("add \(added.joined(separator: ", "))") }
        if parts.isEmpty { parts.append("fresh shares, same custodians") }
        return "\(before) → \(after): \(parts.joined(separator: "; "))"
    }
}
