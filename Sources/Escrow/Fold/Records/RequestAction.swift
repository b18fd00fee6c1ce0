/// What a quorum request asks for.
public enum RequestAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Rebuild the keys of the named credential versions for the requester.
    case open
    /// Hand the vault's current versions to the customer's key; no custodian or executor sees a value.
    case release
    /// Redistribute the shares of every version to a new policy (custodians and/or threshold).
    case resplit
    /// Close the vault: kept, but unlocks are refused unless forced with a recorded reason.
    case close
    /// Reopen a closed vault.
    case reopen

    /// Whether approvals of this action carry share values (re-sealed to the request's recipient).
    public var carriesShares: Bool { QuorumActions.action(for: self).payload == .shares }
}
