import Sodium

/// A credential version rebuilt by an open: its place and its value (guarded memory, wiped when released).
public struct OpenedVersion: Sendable {
    /// The vault's name.
    public var vault: String
    /// The entry's name.
    public var entry: String
    /// The entry's kind.
    public var kind: EntryKind
    /// The version id.
    public var version: [UInt8]
    /// Who deposited it.
    public var depositor: String
    /// When.
    public var depositedAt: UTCTime
    /// The value.
    public var value: SecureBytes
    /// Contributors of re-split levels whose values failed the rebuild (by level), for the record.
    public var suspects: [[UInt8]]
    /// Approvals left out because a value failed to open or to match its digest (one line each, naming the approver).
    public var refusedApprovals: [String]
}
