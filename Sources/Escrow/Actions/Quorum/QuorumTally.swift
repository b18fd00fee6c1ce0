/// One part of a request's progress: a requested version (open, release) or a target vault (re-split, close,
/// reopen), with the approvals so far that count for it.
public struct QuorumTally: Hashable, Sendable {
    /// What is counted.
    public enum Subject: Hashable, Sendable {
        /// A requested credential version, which needs its own holder quorum.
        case version(VersionState)
        /// The target vault, which needs the quorum of its policy at the request's generation.
        case vault
    }

    /// What is counted.
    public let subject: Subject
    /// Approvals so far that count for it.
    public let approvals: Int
    /// Approvals it needs.
    public let needed: Int
    /// Names of custodians the request adds who have not acknowledged custody yet.
    public let missingAcknowledgements: [String]
}
