/// SLIP-0039: Shamir's secret sharing for mnemonic codes, byte-exact with the standard and its reference
/// implementation (`shamir-mnemonic`).
///
/// A master secret is encrypted with a passphrase (a four-round Feistel network over PBKDF2-HMAC-SHA256),
/// split into *G* group shares of which *GT* are needed, and each group share is split again into
/// *N*ᵢ member shares of which *T*ᵢ are needed. Every member share becomes a mnemonic of 20 (128-bit secret)
/// or 33 (256-bit secret) words with an RS1024 checksum.
///
/// - ``split(_:groupThreshold:groups:passphrase:iterationExponent:extendable:using:)`` makes the shares;
/// - ``combine(_:passphrase:)`` checks a set of shares against every rule of the specification and recovers
///   the master secret;
/// - ``Share`` converts one share to and from its mnemonic.
///
/// - Important: SLIP-0039 cannot tell a wrong passphrase: every passphrase decrypts to *some* master secret.
///   Authenticate the result where it matters (the Escrow layer checks a recovered key against its public key).
public enum SLIP39 {
    /// The smallest master secret, in bytes (128 bits).
    public static let minimumSecretByteCount = 16

    /// The largest master secret this implementation splits or accepts, in bytes.
    ///
    /// The specification only requires 16 and 32; the bound keeps every mnemonic (at most 827 words) well
    /// inside the length for which RS1024 guarantees its error detection.
    public static let maximumSecretByteCount = 1024

    /// The largest group count, member count, group threshold or member threshold (4-bit fields).
    public static let maximumShareCount = 16

    /// The largest iteration exponent (a 4-bit field): PBKDF2 runs `10000 << e` iterations in total.
    public static let maximumIterationExponent = 15

    /// The default iteration exponent of the reference implementation (20,000 PBKDF2 iterations in total).
    public static let defaultIterationExponent = 1

    // MARK: Internal layout constants (bit and word counts of the mnemonic format)

    /// Bits per word (the list has 2¹⁰ words).
    static let bitsPerWord = 10
    /// Bits of the random identifier.
    static let identifierBitCount = 15
    /// Words holding the identifier, the extendable flag and the iteration exponent (15 + 1 + 4 bits).
    static let identifierWordCount = 2
    /// Words holding group index, group threshold, group count, member index, member threshold (5 × 4 bits).
    static let shareParametersWordCount = 2
    /// Words of the RS1024 checksum.
    static let checksumWordCount = 3
    /// Words that are not share value.
    static let metadataWordCount = identifierWordCount + shareParametersWordCount + checksumWordCount
    /// The shortest mnemonic: metadata plus a 128-bit value (13 words).
    static let minimumWordCount = metadataWordCount + (minimumSecretByteCount * 8 + bitsPerWord - 1) / bitsPerWord
    /// The longest mnemonic: metadata plus a ``maximumSecretByteCount`` value.
    static let maximumWordCount = metadataWordCount + (maximumSecretByteCount * 8 + bitsPerWord - 1) / bitsPerWord
    /// Bytes of the digest stored in the share at x = 254.
    static let digestByteCount = 4
    /// The x-coordinate of the shared secret.
    static let secretIndex: UInt8 = 255
    /// The x-coordinate of the digest share.
    static let digestIndex: UInt8 = 254
    /// Total PBKDF2 iterations at exponent 0.
    static let baseIterationCount = 10_000
    /// Rounds of the Feistel network.
    static let roundCount = 4
    /// RS1024 customization string (and PBKDF2 salt prefix) of non-extendable shares.
    static let customization: [UInt8] = Array("shamir".utf8)
    /// RS1024 customization string of extendable shares (their PBKDF2 salt has no prefix).
    static let extendableCustomization: [UInt8] = Array("shamir_extendable".utf8)

    /// The number of words of a share value of `byteCount` bytes (padded on the left to whole words).
    static func valueWordCount(byteCount: Int) -> Int {
        (byteCount * 8 + bitsPerWord - 1) / bitsPerWord
    }
}
