/// The body of a `custody` event: a custodian acknowledges the policy of a new vault (or of a re-split that names it)
/// after checking the fingerprints, and proves its encryption key by answering its challenge.
public struct CustodyBody: Hashable, Sendable, Codable {
    /// The event holding the challenge: a `vault.create` or a `request` for a re-split.
    public var subject: HexBytes
    /// The response to the author's challenge (see ``CustodyProof``).
    public var response: HexBytes

    /// Creates a body.
    ///
    /// - Parameters:
    ///   - subject: The event holding the challenge.
    ///   - response: The response.
    public init(subject: [UInt8], response: [UInt8]) {
        self.subject = HexBytes(subject)
        self.response = HexBytes(response)
    }
}
