/// Something the fold noticed and did not apply (an event without authority), or applied with a caveat (a deposit
/// dealt under a generation re-split meanwhile, a second execution, an equivocation). Every command shows findings;
/// `escrow audit verify` fails on any that ``isViolation``.
public struct Finding: Hashable, Sendable, CustomStringConvertible {
    /// The event concerned.
    public var event: EventID
    /// The event's type.
    public var type: String
    /// The event's author, by name.
    public var author: String
    /// One line saying what and why.
    public var message: String
    /// `true` when the event was refused (no authority, malformed); `false` for a note about an applied event.
    public var isViolation: Bool

    /// Creates a finding.
    ///
    /// - Parameters:
    ///   - event: The event.
    ///   - type: Its type.
    ///   - author: Its author's name.
    ///   - message: What and why.
    ///   - isViolation: Whether the event was refused.
    public init(event: EventID, type: String, author: String, message: String, isViolation: Bool) {
        self.event = event
        self.type = type
        self.author = author
        self.message = message
        self.isViolation = isViolation
    }

    /// `event 3fa1c2d4e5f6 (deposit by mallory): ignored: mallory is not a member of this store`.
    public var description: String {
        "event \(event.short) (\(type) by \(NameRules.printable(author))): \(isViolation ? "ignored: " : "")\(message)"
    }
}
