/// One audited change of a batch commit (``StoreSession/commitBatch(_:actor:)``): the files it replaces and the audit
/// record that documents it.
public struct AuditedChange: Sendable {
    /// The files and their complete new contents (none for a record-only change such as a failed unlock).
    public var changes: [FileChange]
    /// The audited action.
    public var action: AuditAction
    /// The vault concerned, if any.
    public var vault: AuditRecord.AuditVaultReference?
    /// The reason given, if any.
    public var reason: String?
    /// Public details for the record (never a secret).
    public var details: [String: String]

    /// Creates an audited change.
    ///
    /// - Parameters:
    ///   - changes: The files and their new contents.
    ///   - action: The audited action.
    ///   - vault: The vault concerned.
    ///   - reason: The reason given.
    ///   - details: Public details.
    public init(
        _ changes: [FileChange],
        action: AuditAction,
        vault: AuditRecord.AuditVaultReference?,
        reason: String?,
        details: [String: String]
    ) {
        self.changes = changes
        self.action = action
        self.vault = vault
        self.reason = reason
        self.details = details
    }
}
