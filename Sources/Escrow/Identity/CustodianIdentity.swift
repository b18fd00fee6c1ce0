import Sodium

/// A custodian's private identity: the Ed25519 key pair (in guarded memory) plus the public identity.
///
/// It signs audit records, vault files and deposits, and its derived X25519 key pair opens the shares encrypted to the
/// custodian. It exists in memory only while a command runs; on disk it lives sealed in an ``IdentityFile``.
public struct CustodianIdentity: Sendable, CustomStringConvertible {
    /// The public half: name, e-mail, key, fingerprint.
    public let publicIdentity: PublicIdentity
    /// The Ed25519 key pair.
    public let signingKeyPair: SigningKeyPair

    /// Generates a new identity.
    ///
    /// - Parameters:
    ///   - name: A valid custodian name.
    ///   - email: An e-mail address or the empty string.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a bad name or e-mail.
    public init(name: String, email: String) throws(EscrowError) {
        let keyPair = SigningKeyPair()
        try self.init(name: name, email: email, keyPair: keyPair)
    }

    /// Rebuilds an identity from its key pair (e.g. after unsealing the seed from an identity file).
    ///
    /// - Parameters:
    ///   - name: A valid custodian name.
    ///   - email: An e-mail address or the empty string.
    ///   - keyPair: The Ed25519 key pair.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a bad name, e-mail or key.
    public init(name: String, email: String, keyPair: SigningKeyPair) throws(EscrowError) {
        publicIdentity = try PublicIdentity(name: name, email: email, signingKey: keyPair.publicKey)
        signingKeyPair = keyPair
    }

    /// Signs `message` with the identity's Ed25519 key.
    ///
    /// - Parameter message: The bytes to sign.
    /// - Returns: The 64-byte signature.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        signingKeyPair.signature(for: message)
    }

    /// The X25519 key pair that opens shares encrypted to this custodian.
    ///
    /// - Returns: The key pair (secret key in guarded memory).
    /// - Throws: ``EscrowError/Code/cryptoFailure`` if libsodium refuses the conversion.
    public func boxKeyPair() throws(EscrowError) -> BoxKeyPair {
        do {
            return try signingKeyPair.boxKeyPair()
        } catch {
            throw EscrowError(.cryptoFailure, "custodian '\(publicIdentity.name)': \(error.message)")
        }
    }

    /// The public identity only; never key material.
    public var description: String { publicIdentity.description }
}
