/// A challenge sealed to one custodian: opening it and publishing the response proves that the custodian's
/// encryption key works before anything is dealt to it.
///
/// The challenge is 32 random bytes sealed (`crypto_box_seal`) to the custodian's X25519 key. The response is
/// BLAKE2b over the challenge and the custodian's key (``CustodyProof``); the event carrying the challenge publishes
/// only the hash of that response (`check`), so the response cannot be copied from it.
public struct CustodyChallenge: Hashable, Sendable, Codable {
    /// The custodian's Ed25519 public key.
    public var key: Base64Bytes
    /// The sealed challenge.
    public var sealed: Base64Bytes
    /// The hash of the expected response.
    public var check: HexBytes

    /// Creates a challenge record.
    ///
    /// - Parameters:
    ///   - key: The custodian's key.
    ///   - sealed: The sealed challenge.
    ///   - check: The hash of the expected response.
    public init(key: [UInt8], sealed: [UInt8], check: [UInt8]) {
        self.key = Base64Bytes(key)
        self.sealed = Base64Bytes(sealed)
        self.check = HexBytes(check)
    }
}
