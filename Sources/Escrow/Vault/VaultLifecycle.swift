/// The life-cycle state of a vault.
public enum VaultLifecycle: String, Hashable, Sendable, Codable, CaseIterable {
    /// In use: deposits and (with a quorum) unlocks are allowed.
    case active
    /// Handed over to the customer (reverse assumption): no further unlocks.
    case released
    /// The account was closed: everything is kept; unlocks need `--force` and a reason.
    case closed
}
