import Sodium

/// A custodian's public identity: name, optional e-mail, Ed25519 public key (the X25519 encryption key is derived from
/// it) and the key's ``Fingerprint``. This is what a store's roster and a vault's policy hold.
public struct PublicIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The custodian's name, e.g. `alice` (see ``NameRules/validateCustodianName(_:)``).
    public let name: String
    /// The custodian's e-mail address, or the empty string.
    public let email: String
    /// The 32-byte Ed25519 public key.
    public let signingKey: [UInt8]
    /// The fingerprint of ``signingKey``.
    public let fingerprint: Fingerprint

    /// Creates a public identity after checking every field.
    ///
    /// - Parameters:
    ///   - name: A valid custodian name.
    ///   - email: An e-mail address or the empty string.
    ///   - signingKey: A 32-byte Ed25519 public key that converts to an X25519 key.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the bad field.
    public init(name: String, email: String, signingKey: [UInt8]) throws(EscrowError) {
        try NameRules.validateCustodianName(name)
        try Self.validateEmail(email)
        guard signingKey.count == SigningKeyPair.publicKeyCount else {
            throw EscrowError(
                .invalidInput,
                "custodian '\(name)': public key must be 32 bytes, got \(signingKey.count)"
            )
        }
        do {
            _ = try SigningKeyPair.boxPublicKey(fromSigningKey: signingKey)
        } catch {
            throw EscrowError(.invalidInput, "custodian '\(name)': public key is not a valid Ed25519 key")
        }
        self.name = name
        self.email = email
        self.signingKey = signingKey
        self.fingerprint = Fingerprint(signingKey: signingKey)
    }

    /// The X25519 public key shares are encrypted to.
    ///
    /// - Returns: The 32-byte X25519 public key.
    /// - Throws: ``EscrowError/Code/cryptoFailure`` if the conversion fails (the initialiser already checked it).
    public func boxPublicKey() throws(EscrowError) -> [UInt8] {
        do {
            return try SigningKeyPair.boxPublicKey(fromSigningKey: signingKey)
        } catch {
            throw EscrowError(.cryptoFailure, "custodian '\(name)': \(error.message)")
        }
    }

    /// Whether `signature` is this custodian's valid Ed25519 signature of `message`.
    ///
    /// - Parameters:
    ///   - signature: The 64-byte signature.
    ///   - message: The signed bytes.
    /// - Returns: `true` only for a valid signature.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        SigningKeyPair.isValidSignature(signature, for: message, publicKey: signingKey)
    }

    /// `alice <alice@example.com> 3F2A-91C4-0B7D-55E2-A1C9`.
    public var description: String {
        email.isEmpty ? "\(name) \(fingerprint)" : "\(name) <\(email)> \(fingerprint)"
    }

    /// Checks an e-mail address: empty, or `local@domain.tld` in printable ASCII without spaces, `<`, `>` or `,`.
    ///
    /// - Parameter email: The candidate.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the address.
    public static func validateEmail(_ email: String) throws(EscrowError) {
        guard !email.isEmpty else { return }
        if let hidden = NameRules.firstHiddenCharacter(in: email) {
            throw EscrowError(.invalidInput, "the e-mail address \(NameRules.describeHidden(hidden))")
        }
        let bytes = Array(email.utf8)
        let forbidden: Set<UInt8> = [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: " ")]
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard bytes.count <= 254, bytes.allSatisfy({ (0x21..<0x7F).contains($0) && !forbidden.contains($0) }),
            parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else {
            throw EscrowError(.invalidInput, "'\(NameRules.printable(email))' is not a valid e-mail address")
        }
    }
}
