/// The body of a `request` event: a custodian asks a quorum to approve one action on one or more vaults (a single
/// vault is a batch of one), for a stated reason, until a deadline.
public struct RequestBody: Hashable, Sendable, Codable {
    /// A random 16-byte id (two identical requests are still two requests).
    public var request: HexBytes
    /// What is asked.
    public var action: RequestAction
    /// The vaults acted on.
    public var targets: [RequestTarget]
    /// Who receives approved shares (`open` and `release` only).
    public var recipient: RequestRecipient?
    /// Why, in the requester's words; every approver sees it.
    public var reason: String
    /// Approvals made after this time do not count.
    public var expiresAt: UTCTime
    /// Opening a closed vault: `true` only when the requester forced it (the reason is recorded).
    public var force: Bool
    /// Challenges for custodians a re-split adds to a vault (see ``CustodyChallenge``).
    public var challenges: [CustodyChallenge]

    enum CodingKeys: String, CodingKey {
        case request, action, targets, recipient, reason, force, challenges
        case expiresAt = "expires_at"
    }

    /// Creates a body.
    ///
    /// - Parameters:
    ///   - request: The random id.
    ///   - action: What is asked.
    ///   - targets: The vaults.
    ///   - recipient: Who receives shares.
    ///   - reason: Why.
    ///   - expiresAt: The deadline.
    ///   - force: Whether a closed vault is opened by force.
    ///   - challenges: Challenges for added custodians.
    public init(
        request: [UInt8],
        action: RequestAction,
        targets: [RequestTarget],
        recipient: RequestRecipient?,
        reason: String,
        expiresAt: UTCTime,
        force: Bool = false,
        challenges: [CustodyChallenge] = []
    ) {
        self.request = HexBytes(request)
        self.action = action
        self.targets = targets
        self.recipient = recipient
        self.reason = reason
        self.expiresAt = expiresAt
        self.force = force
        self.challenges = challenges
    }
}
