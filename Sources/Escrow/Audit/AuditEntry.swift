/// One event of the log as people read it: when, who, what, on which vault, why.
public struct AuditEntry: Hashable, Sendable, Codable {
    /// The event id.
    public var event: String
    /// The author's clock.
    public var time: UTCTime
    /// The author.
    public var actor: String
    /// The event type (`deposit`, `request`, …).
    public var action: String
    /// The vaults concerned.
    public var vaults: [String]
    /// The request concerned (its event id), if any.
    public var request: String?
    /// The stated reason, if any.
    public var reason: String?
    /// One line saying what happened.
    public var summary: String
    /// What the fold said about the event, if anything.
    public var findings: [String]

    /// The ``action`` of an entry for a request that expired unexecuted (no event records it).
    public static let expiredAction = "expired"
}
