/// The encrypted shares of one vault generation: the batch's ephemeral X25519 public key, the digest key, and one
/// ``ShareEnvelope`` per custodian (in policy order).
public struct ShareSet: Hashable, Sendable, Codable {
    /// When the shares were made.
    public var createdAt: UTCTime
    /// The ephemeral X25519 public key the envelopes were encrypted with.
    public var ephemeralPublicKey: Base64Bytes
    /// The key of the share digests (public; see ``ShareDigest``).
    public var digestKey: Base64Bytes
    /// One envelope per custodian.
    public var envelopes: [ShareEnvelope]

    enum CodingKeys: String, CodingKey {
        case envelopes
        case createdAt = "created_at"
        case ephemeralPublicKey = "ephemeral_public_key"
        case digestKey = "digest_key"
    }

    /// Creates a share set.
    ///
    /// - Parameters:
    ///   - createdAt: When the shares were made.
    ///   - ephemeralPublicKey: The batch's ephemeral public key.
    ///   - digestKey: The digest key.
    ///   - envelopes: The envelopes.
    public init(createdAt: UTCTime, ephemeralPublicKey: [UInt8], digestKey: [UInt8], envelopes: [ShareEnvelope]) {
        self.createdAt = createdAt
        self.ephemeralPublicKey = Base64Bytes(ephemeralPublicKey)
        self.digestKey = Base64Bytes(digestKey)
        self.envelopes = envelopes
    }

    /// The envelope of the custodian with this fingerprint.
    ///
    /// - Parameter fingerprint: A key fingerprint.
    /// - Returns: The envelope, or `nil`.
    public func envelope(for fingerprint: Fingerprint) -> ShareEnvelope? {
        envelopes.first { $0.fingerprint == fingerprint }
    }
}
