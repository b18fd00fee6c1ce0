/// Public bytes (a key, a signature, a ciphertext) that a file stores as a base64url string.
public struct Base64Bytes: Hashable, Sendable, Codable {
    /// The bytes.
    public var bytes: [UInt8]

    /// Wraps `bytes`.
    ///
    /// - Parameter bytes: Public bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Decodes a base64url string.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` if the string is not canonical unpadded base64url.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let bytes = Base64URL.decode(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "is not unpadded base64url")
        }
        self.bytes = bytes
    }

    /// Encodes as a base64url string.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Base64URL.encode(bytes))
    }
}
