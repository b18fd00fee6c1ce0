/// What an approval of an action carries.
enum ApprovalPayload: Sendable {
    /// The approver's shares of the requested versions, re-sealed to the request's recipient (open, release).
    case shares
    /// The approver's sub-shares of every version it holds, for the new policy (re-split).
    case contributions
    /// Nothing: the approval is a signature (close, reopen).
    case nothing

    /// Whether the request names a recipient the shares are sealed to.
    var takesRecipient: Bool { self == .shares }

    /// Whether an approval carrying these values is of this kind.
    ///
    /// - Parameters:
    ///   - shares: Whether it carries re-sealed shares.
    ///   - contributions: Whether it carries sub-shares.
    /// - Returns: `false` if it carries values the action does not take.
    func allows(shares: Bool, contributions: Bool) -> Bool {
        (self == .shares || !shares) && (self == .contributions || !contributions)
    }
}
