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
    /// Public data about the version (TOTP parameters).
    public var metadata: [String: String]
    /// The value.
    public var value: SecureBytes
    /// Contributors of re-split levels whose values failed the rebuild (by level), for the record.
    public var suspects: [[UInt8]]
    /// Approvals left out because a value failed to open or to match its digest (one line each, naming the approver).
    public var refusedApprovals: [String]

    /// Creates an opened version (the rebuild does; tests and printers may too).
    ///
    /// - Parameters:
    ///   - vault: The vault's name.
    ///   - entry: The entry's name.
    ///   - kind: The entry's kind.
    ///   - version: The version id.
    ///   - depositor: Who deposited it.
    ///   - depositedAt: When.
    ///   - metadata: Its public metadata.
    ///   - value: The value.
    ///   - suspects: Failing contributors per re-split level.
    ///   - refusedApprovals: Approvals left out, one line each.
    public init(
        vault: String,
        entry: String,
        kind: EntryKind,
        version: [UInt8],
        depositor: String,
        depositedAt: UTCTime,
        metadata: [String: String],
        value: SecureBytes,
        suspects: [[UInt8]],
        refusedApprovals: [String]
    ) {
        self.vault = vault
        self.entry = entry
        self.kind = kind
        self.version = version
        self.depositor = depositor
        self.depositedAt = depositedAt
        self.metadata = metadata
        self.value = value
        self.suspects = suspects
        self.refusedApprovals = refusedApprovals
    }

    /// The current TOTP code of a `totp` version.
    ///
    /// - Parameter time: Seconds since the epoch.
    /// - Returns: The code.
    /// - Throws: ``EscrowError/Code/invalidInput`` for another kind or bad parameters.
    public func totpCode(at time: Int64) throws(EscrowError) -> TOTPCode {
        guard kind == .totp else {
            throw EscrowError(.invalidInput, "entry '\(entry)' is a \(kind.rawValue), not totp")
        }
        return try TOTP.code(seed: value, parameters: try TOTPParameters(metadata: metadata), at: time)
    }
}
