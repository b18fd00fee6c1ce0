/// Loads and saves ``TrustState`` records: one file `<store id>.json` per store in a per-user directory the CLI
/// chooses (never inside the store).
///
/// ```json
/// {
///   "format": "escrow-trust",
///   "genesis": "<64 hex digits>",
///   "seen": ["<64 hex digits>", …],
///   "store": "<32 hex digits>",
///   "version": 1
/// }
/// ```
///
/// The directory is created with mode 0700 when missing, files are written atomically with mode 0600, and neither the
/// directory (as its last path component) nor a file in it is followed if it is a symbolic link.
public enum TrustFile {
    /// The `format` member.
    public static let format = "escrow-trust"
    /// The only `version` this build reads and writes (1).
    public static let version: Int64 = 1

    /// The file name of a store's record.
    ///
    /// - Parameter store: The 16-byte store id.
    /// - Returns: `<32 hex digits>.json`.
    public static func fileName(for store: [UInt8]) -> String { "\(Hex.encode(store)).json" }

    /// Loads the record of a store.
    ///
    /// - Parameters:
    ///   - directory: The per-user trust directory.
    ///   - store: The 16-byte store id.
    /// - Returns: The state, or `nil` if this machine has never seen the store (first contact: pin it).
    /// - Throws: ``EscrowError/Code/malformedFile`` or ``EscrowError/Code/unsupportedVersion`` for a damaged record,
    ///   ``EscrowError/Code/tampered`` for a symbolic link or a record of another store,
    ///   ``EscrowError/Code/ioFailure``.
    public static func load(directory: String, store: [UInt8]) throws(EscrowError) -> TrustState? {
        let handle: DirectoryHandle
        do {
            handle = try DirectoryHandle.open(path: directory, display: directory, childPrefix: directory)
        } catch  where error.code == .notFound {
            return nil
        }
        let name = fileName(for: store)
        guard try handle.kind(of: name) != nil else { return nil }
        let source = "\(directory)/\(name)"
        let bytes = try handle.readFile(name, limit: 16 << 20)
        let value = try JSONParser.parse(bytes, source: source)
        try VersionedDocument.check(value, format: format, version: version, source: source)
        guard case .object(let members) = value, Set(members.keys) == ["format", "version", "store", "genesis", "seen"]
        else {
            throw EscrowError(
                .malformedFile,
                "\(source): expected exactly the members format, version, store, genesis and seen"
            )
        }
        guard let storeText = members["store"]?.stringValue, Hex.decode(storeText) == store else {
            throw EscrowError(.tampered, "\(source) is not the trust record of store \(Hex.encode(store))")
        }
        guard let genesisText = members["genesis"]?.stringValue, let genesis = try? EventID(hex: genesisText) else {
            throw EscrowError(.malformedFile, "\(source): member 'genesis' must be an event id")
        }
        guard case .array(let elements)? = members["seen"] else {
            throw EscrowError(.malformedFile, "\(source): member 'seen' must be an array of event ids")
        }
        var seen: [EventID] = []
        for element in elements {
            guard let text = element.stringValue, let id = try? EventID(hex: text) else {
                throw EscrowError(.malformedFile, "\(source): member 'seen' must be an array of event ids")
            }
            seen.append(id)
        }
        return TrustState(store: store, genesis: genesis, seen: seen)
    }

    /// Saves a store's record atomically (mode 0600), creating the directory (mode 0700) if it is missing.
    ///
    /// - Parameters:
    ///   - state: The state to keep.
    ///   - directory: The per-user trust directory.
    /// - Throws: ``EscrowError/Code/tampered`` if the directory is a symbolic link, ``EscrowError/Code/ioFailure``.
    public static func save(_ state: TrustState, directory: String) throws(EscrowError) {
        let handle = try DirectoryHandle.open(
            path: directory,
            display: directory,
            childPrefix: directory,
            createMode: 0o700
        )
        let name = fileName(for: state.store)
        if let kind = try handle.kind(of: name) {
            guard case .regular = kind else {
                throw DirectoryHandle.refusal(kind, "\(directory)/\(name)", expected: "a regular file")
            }
        }
        let bytes = JSONWriter.pretty(
            .object([
                "format": .string(format),
                "version": .int(version),
                "store": .string(Hex.encode(state.store)),
                "genesis": .string(state.genesis.description),
                "seen": .array(state.seen.map { .string($0.description) }),
            ])
        )
        try handle.writeFile(bytes, to: name, mode: 0o600)
        try handle.sync()
    }
}
