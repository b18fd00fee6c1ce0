/// A custodian's signature over a proposal carried inside another member's event (roster changes).
public struct Endorsement: Hashable, Sendable, Codable {
    /// The endorsing custodian's Ed25519 public key.
    public var key: Base64Bytes
    /// The Ed25519 signature.
    public var signature: Base64Bytes

    /// Creates an endorsement.
    ///
    /// - Parameters:
    ///   - key: The custodian's key.
    ///   - signature: The signature.
    public init(key: [UInt8], signature: [UInt8]) {
        self.key = Base64Bytes(key)
        self.signature = Base64Bytes(signature)
    }
}
