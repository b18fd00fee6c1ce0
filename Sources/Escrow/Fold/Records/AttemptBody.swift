/// The body of an `attempt` event: quorum actions its author tried that were refused, and wrong passphrases typed
/// for its identity, published with the author's next signed command (they happen before anything can be signed, or
/// are refused before anything is written).
public struct AttemptBody: Hashable, Sendable, Codable {
    /// The attempts, oldest first.
    public var attempts: [AttemptRecord]

    /// Creates a body.
    ///
    /// - Parameter attempts: The attempts, oldest first.
    public init(attempts: [AttemptRecord]) {
        self.attempts = attempts
    }

    /// The most attempts one event carries.
    public static let maximumCount = 100
}

/// One refused or failed attempt at a quorum action.
public struct AttemptRecord: Hashable, Sendable, Codable {
    /// When it happened (the author's clock).
    public var time: UTCTime
    /// The command tried, e.g. `unlock open` (one of ``commands``).
    public var command: String
    /// The request it concerned.
    public var request: HexBytes?
    /// How it ended.
    public var outcome: AttemptOutcome
    /// The refusal, as the command said it (public text: refusals never carry a secret).
    public var detail: String

    /// The commands whose refusals are recorded.
    public static let commands: Set<String> = ["unlock open", "unlock approve", "unlock execute"]

    /// The longest ``detail``, in characters.
    public static let maximumDetailLength = 400

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - time: When it happened.
    ///   - command: The command tried.
    ///   - request: The request it concerned.
    ///   - outcome: How it ended.
    ///   - detail: The refusal.
    public init(time: UTCTime, command: String, request: [UInt8]?, outcome: AttemptOutcome, detail: String) {
        self.time = time
        self.command = command
        self.request = request.map(HexBytes.init)
        self.outcome = outcome
        self.detail = detail
    }
}

/// How an attempt ended.
public enum AttemptOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// The command refused (not approved yet, expired, executed, not the requester, a bad share…).
    case refused
    /// The identity's passphrase was wrong.
    case wrongPassphrase = "wrong_passphrase"
}
