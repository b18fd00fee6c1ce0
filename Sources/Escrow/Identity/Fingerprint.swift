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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        var high: UInt8?
        for character in text.utf8 where character != UInt8(ascii: "-") {
            guard let nibble = Self.nibble(character), bytes.count < Self.byteCount else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard bytes.count == Self.byteCount, high == nil else { return nil }
        self.bytes = bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static let upperDigits = Array("0123456789ABCDEF".utf8)

    /// `3F2A-91C4-0B7D-55E2-A1C9`.
    public var description: String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2 + bytes.count / 2)
        for (index, byte) in bytes.enumerated() {
            if index > 0, index % 2 == 0 { text.append(UInt8(ascii: "-")) }
            text.append(Self.upperDigits[Int(byte >> 4)])
            text.append(Self.upperDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes the displayed form (exactly as ``description`` writes it).
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` for any other text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        // The displayed form exactly: uppercase hex digits in groups of four, separated by single dashes.
        let isCanonical = text.utf8.enumerated().allSatisfy { index, character in
            index % 5 == 4
                ? character == UInt8(ascii: "-")
                : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(character)
        }
        guard isCanonical, text.utf8.count == Self.byteCount * 2 + Self.byteCount / 2 - 1,
            let parsed = Fingerprint(text)
        else {
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
