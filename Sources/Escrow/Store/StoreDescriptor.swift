/// The store descriptor (`store.json`): marks a directory as an escrow store and names its format version.
///
/// ```json
/// {"created_at": "…", "format": "escrow-store", "id": "<16 bytes hex>", "version": 1}
/// ```
public struct StoreDescriptor: Hashable, Sendable, Codable {
    /// The `format` value.
    public static let format = "escrow-store"
    /// The only version this build reads and writes.
    public static let version: Int64 = 1

    /// Always ``format``.
    public var format: String
    /// Always ``version``.
    public var version: Int64
    /// The store's random identifier (also in the genesis audit record).
    public var id: HexBytes
    /// When the store was created.
    public var createdAt: UTCTime

    enum CodingKeys: String, CodingKey {
        case format, version, id
        case createdAt = "created_at"
    }

    /// Creates a descriptor.
    ///
    /// - Parameters:
    ///   - id: The store identifier.
    ///   - createdAt: The creation time.
    public init(id: [UInt8], createdAt: UTCTime) {
        format = Self.format
        version = Self.version
        self.id = HexBytes(id)
        self.createdAt = createdAt
    }

    /// The file's bytes.
    ///
    /// - Returns: Pretty canonical JSON.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(self))
    }

    /// Parses a descriptor.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: Its path.
    /// - Returns: The descriptor.
    /// - Throws: ``EscrowError/Code/malformedFile`` or ``EscrowError/Code/unsupportedVersion``.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> StoreDescriptor {
        let value = try JSONParser.parse(bytes, source: source)
        try VersionedDocument.check(value, format: format, version: version, source: source)
        let descriptor = try JSONCoding.decode(StoreDescriptor.self, from: value, source: source)
        guard descriptor.id.bytes.count == 16 else {
            throw EscrowError(.malformedFile, "\(source): the store id must be 16 bytes")
        }
        return descriptor
    }
}
