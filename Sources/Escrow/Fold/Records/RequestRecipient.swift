/// Who receives the shares approved for an `open` or `release`: the requester's fresh per-request key, or the
/// customer's key for a release.
public struct RequestRecipient: Hashable, Sendable, Codable {
    /// Who the key belongs to, for people (`alice (request key)`, `customer acme`).
    public var name: String
    /// The recipient's X25519 public key.
    public var key: Base64Bytes

    /// Creates a recipient.
    ///
    /// - Parameters:
    ///   - name: Who the key belongs to.
    ///   - key: The X25519 public key.
    public init(name: String, key: [UInt8]) {
        self.name = name
        self.key = Base64Bytes(key)
    }
}
