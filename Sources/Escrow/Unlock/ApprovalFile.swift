/// An approval together with where it came from (its file name), so that every message about it names the file.
public struct ApprovalFile: Sendable {
    /// The file the approval was read from (or another label for messages).
    public let source: String
    /// The parsed, signature-checked approval.
    public let approval: UnlockApproval

    /// Pairs an approval with its source.
    ///
    /// - Parameters:
    ///   - source: The file name.
    ///   - approval: The approval.
    public init(source: String, approval: UnlockApproval) {
        self.source = source
        self.approval = approval
    }

    /// Parses an approval file (see ``UnlockApproval/decode(_:source:)``).
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: Its path.
    /// - Throws: What ``UnlockApproval/decode(_:source:)`` throws.
    public init(decoding bytes: [UInt8], source: String) throws(EscrowError) {
        self.init(source: source, approval: try UnlockApproval.decode(bytes, source: source))
    }
}
