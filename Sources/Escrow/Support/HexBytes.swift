/// Public bytes (a hash, an identifier, a digest) that a file stores as a lowercase hex string.
public struct HexBytes: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The bytes.
    public var bytes: [UInt8]

    /// Wraps `bytes`.
    ///
    /// - Parameter bytes: Public bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The lowercase hex text.
    public var description: String { Hex.encode(bytes) }

    /// Decodes a lowercase hex string.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` if the string is not lowercase hex.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let bytes = Hex.decode(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "is not lowercase hex")
        }
        self.bytes = bytes
    }

    /// Encodes as a lowercase hex string.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Hex.encode(bytes))
    }
}
