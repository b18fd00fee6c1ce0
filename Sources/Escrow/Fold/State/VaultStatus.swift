/// Where a vault is in its life.
public enum VaultStatus: String, Hashable, Sendable, Codable {
    /// Created; waiting for every custodian to acknowledge custody. Deposits are refused.
    case pending
    /// In use.
    case active
    /// Handed back to the customer; nothing more happens to it.
    case released
    /// Kept, but unlocks are refused unless forced with a recorded reason; reopening takes a quorum.
    case closed
}
