/// Which audit entries to show (every criterion given must match).
public struct AuditFilter: Sendable {
    /// Only events concerning this vault.
    public var vault: String?
    /// Only events by this member.
    public var actor: String?
    /// Only events of this type.
    public var action: String?
    /// Only events at or after this time.
    public var since: UTCTime?
    /// Only events before this time.
    public var until: UTCTime?
    /// Only the request with this id prefix and its approvals and execution.
    public var request: String?

    /// Creates a filter.
    ///
    /// - Parameters:
    ///   - vault: A vault name.
    ///   - actor: A member name.
    ///   - action: An event type.
    ///   - since: The earliest time.
    ///   - until: The latest time (exclusive).
    ///   - request: A request id prefix.
    public init(
        vault: String? = nil,
        actor: String? = nil,
        action: String? = nil,
        since: UTCTime? = nil,
        until: UTCTime? = nil,
        request: String? = nil
    ) {
        self.vault = vault
        self.actor = actor
        self.action = action
        self.since = since
        self.until = until
        self.request = request
    }

    /// Whether `entry` passes.
    ///
    /// - Parameter entry: An entry.
    /// - Returns: `true` if every given criterion matches.
    public func matches(_ entry: AuditEntry) -> Bool {
        if let vault, !entry.vaults.contains(vault) { return false }
        if let actor, entry.actor != actor { return false }
        if let action, entry.action != action { return false }
        if let since, entry.time < since { return false }
        if let until, !(entry.time < until) { return false }
        if let request {
            guard let id = entry.request ?? (entry.action == "request" ? entry.event : nil), id.hasPrefix(request)
            else { return false }
        }
        return true
    }
}
