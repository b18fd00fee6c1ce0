/// Who signed something in a vault file (the last writer, a depositor): name, fingerprint and full public key, so the
/// signature can be checked even after the signer left the roster.
public struct SignerReference: Hashable, Sendable, Codable {
    /// The signer's name.
    public var name: String
    /// The signer's fingerprint.
    public var fingerprint: Fingerprint
    /// The signer's Ed25519 public key.
    public var signingKey: Base64Bytes

    enum CodingKeys: String, CodingKey {
        case name, fingerprint
        case signingKey = "signing_key"
    }

    /// References an identity.
    ///
    /// - Parameter identity: The signer's public identity.
    public init(_ identity: PublicIdentity) {
        name = identity.name
        fingerprint = identity.fingerprint
        signingKey = Base64Bytes(identity.signingKey)
    }

    /// The signer's public identity (without e-mail), after checking that the fingerprint matches the key.
    ///
    /// - Parameter source: The file, for messages.
    /// - Returns: The identity.
    /// - Throws: ``EscrowError/Code/malformedFile`` or ``EscrowError/Code/tampered``.
    public func publicIdentity(source: String) throws(EscrowError) -> PublicIdentity {
        let identity: PublicIdentity
        do {
            identity = try PublicIdentity(name: name, email: "", signingKey: signingKey.bytes)
        } catch {
            throw EscrowError(.malformedFile, "\(source): \(error.message)")
        }
        guard identity.fingerprint == fingerprint else {
            throw EscrowError(.tampered, "\(source): signer '\(name)' fingerprint does not match the key")
        }
        return identity
    }
}
