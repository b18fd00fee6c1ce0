/// The marker file `escrow-store.json` at the root of a v2 store:
///
/// ```json
/// {
///   "format": "escrow-store",
///   "genesis": "<64 hex digits>",
///   "store": "<32 hex digits>",
///   "version": 2
/// }
/// ```
///
/// It tells people and tools what the directory is. It is a hint, never trusted for security: whoever can write the
/// store can rewrite it. What a reader trusts is its own pin (``TrustState``) and the signed events.
public struct StoreMarker: Hashable, Sendable {
    /// The file's name.
    public static let fileName = "escrow-store.json"
    /// The `format` member.
    public static let format = "escrow-store"
    /// The only `version` this build reads and writes (2).
    public static let version: Int64 = 2

    /// The 16-byte store id.
    public let store: [UInt8]
    /// The genesis event's id.
    public let genesis: EventID

    /// Creates a marker.
    ///
    /// - Parameters:
    ///   - store: The 16-byte store id.
    ///   - genesis: The genesis event's id.
    public init(store: [UInt8], genesis: EventID) {
        self.store = store
        self.genesis = genesis
    }

    /// The file's bytes: pretty canonical JSON.
    public var encoded: [UInt8] {
        JSONWriter.pretty(
            .object([
                "format": .string(Self.format),
                "version": .int(Self.version),
                "store": .string(Hex.encode(store)),
                "genesis": .string(genesis.description),
            ])
        )
    }

    /// The refusal of a v1 store.
    ///
    /// - Parameter path: The store's path.
    /// - Returns: ``EscrowError/Code/unsupportedVersion`` saying there is no migration.
    static func v1Refusal(_ path: String) -> EscrowError {
        EscrowError(
            .unsupportedVersion,
            "\(path) is an escrow v1 store; this escrow reads v2 stores only "
                + "(no migration: create a new store with 'escrow init')"
        )
    }

    /// Parses a marker.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: The file's path, for messages.
    ///   - storePath: The store's path, for the v1 refusal.
    /// - Returns: The marker.
    /// - Throws: ``EscrowError/Code/unsupportedVersion`` (a v1 marker, another format or version) or
    ///   ``EscrowError/Code/malformedFile``.
    public static func decode(_ bytes: [UInt8], source: String, storePath: String) throws(EscrowError) -> StoreMarker {
        let value = try JSONParser.parse(bytes, source: source)
        if value["format"]?.stringValue == format, value["version"]?.intValue == 1 { throw v1Refusal(storePath) }
        try VersionedDocument.check(value, format: format, version: version, source: source)
        guard case .object(let members) = value, Set(members.keys) == ["format", "version", "store", "genesis"] else {
            throw EscrowError(
                .malformedFile,
                "\(source): expected exactly the members format, version, store and genesis"
            )
        }
        guard let storeText = members["store"]?.stringValue, let store = Hex.decode(storeText),
            store.count == Event.storeIDByteCount
        else {
            throw EscrowError(.malformedFile, "\(source): member 'store' must be 32 lowercase hex digits")
        }
        guard let genesisText = members["genesis"]?.stringValue, let genesis = try? EventID(hex: genesisText) else {
            throw EscrowError(.malformedFile, "\(source): member 'genesis' must be an event id")
        }
        return StoreMarker(store: store, genesis: genesis)
    }
}
