/// What a quorum unlock does once the master key is rebuilt. A request names exactly one action; approvers see it
/// before they approve, and the audit record names it.
public enum UnlockAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Decrypt the named entries and show them to the requester.
    case open
    /// Seal every current entry to the customer's public identity as a signed export bundle and mark the vault
    /// released (reverse assumption); no unlock is possible afterwards.
    case release
    /// Re-split the same master key to the exact new policy the request names (a new polynomial, new envelopes,
    /// generation + 1); the old shares stop working.
    case reshare
}
