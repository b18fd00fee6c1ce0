import Sodium

/// The short fingerprint of a custodian's Ed25519 public key, shown everywhere a key is: 80 bits of
/// BLAKE2b-256(`escrow-fingerprint-v1` ‖ key) as five groups of four uppercase hex digits, e.g. `3F2A-91C4-0B7D-55E2-A1C9`.
///
/// People compare fingerprints to check that they talk about the same key (finding a second key with the same
/// fingerprint costs about 2^80 work). Files also store the full public key, and code compares keys, not fingerprints.
public struct Fingerprint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The number of fingerprint bytes (10).
    public static let byteCount = 10

    /// The fingerprint bytes.
    public let bytes: [UInt8]

    private static let domain = Array("escrow-fingerprint-v1".utf8)

    /// Computes the fingerprint of an Ed25519 public key.
    ///
    /// - Parameter signingKey: The 32-byte public key.
    public init(signingKey: [UInt8]) {
        bytes = Array(GenericHash.hash(Self.domain + signingKey, count: 32).prefix(Self.byteCount))
    }

    /// Computes the fingerprint of a vault's X25519 public key (a separate domain from custodian keys).
    ///
    /// - Parameter vaultKey: The 32-byte vault public key.
    public init(vaultKey: [UInt8]) {
        bytes = Array(GenericHash.hash(Array("escrow-vault-key-v1".utf8) + vaultKey, count: 32).prefix(Self.byteCount))
    }

    /// Parses the displayed form; case and the dashes are optional so that people can type it either way. Fails
    /// unless `text` holds exactly 20 hex digits.
    ///
    /// - Parameter text: E.g. `3F2A-91C4-0B7D-55E2-A1C9` or `3f2a91c40b7d55e2a1c9`.
    public init?(_ text: String) {
        let digits = text.lowercased().filter { $0 != "-" }
        guard digits.count == Self.byteCount * 2, let bytes = Hex.decode(digits) else { return nil }
        self.bytes = bytes
    }

    /// `3F2A-91C4-0B7D-55E2-A1C9`.
    public var description: String {
        let hex = Hex.encode(bytes).uppercased()
        var groups: [Substring] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let end = hex.index(index, offsetBy: 4)
            groups.append(hex[index..<end])
            index = end
        }
        return groups.joined(separator: "-")
    }

    /// Decodes the displayed form (exactly as ``description`` writes it).
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` for any other text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Fingerprint(text), parsed.description == text else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "is not a fingerprint like 3F2A-91C4-0B7D-55E2-A1C9"
            )
        }
        self = parsed
    }

    /// Encodes the displayed form.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
