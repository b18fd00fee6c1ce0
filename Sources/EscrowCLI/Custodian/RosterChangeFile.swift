import Escrow
import Platform

/// The files remote custodians exchange for a roster change: the unendorsed change (`custodian propose`) and one
/// endorsement per custodian (`custodian endorse`). Both name the store, so a file meant for another store is
/// refused; both are canonical JSON with a format header.
enum RosterChangeFile {
    /// The `format` of a proposed change.
    static let changeFormat = "escrow-roster-change"
    /// The `format` of an endorsement.
    static let endorsementFormat = "escrow-roster-endorsement"
    /// The version of both formats.
    static let version: Int64 = 1

    /// A proposed change: `{"format", "version", "store", "change": RosterBody}`.
    struct Change: Codable {
        var format: String
        var version: Int64
        var store: HexBytes
        var change: RosterBody
    }

    /// An endorsement: `{"format", "version", "store", "endorser", "endorsement": Endorsement}`.
    struct Signed: Codable {
        var format: String
        var version: Int64
        var store: HexBytes
        var endorser: String
        var endorsement: Endorsement
    }

    /// Writes a proposed change to a new file.
    ///
    /// - Parameters:
    ///   - change: The unendorsed change.
    ///   - store: The store id.
    ///   - path: A file that must not exist.
    /// - Throws: ``CLIError`` if the file exists, ``EscrowError`` if it cannot be written.
    static func writeChange(_ change: RosterBody, store: [UInt8], to path: String) throws {
        let document = Change(format: changeFormat, version: version, store: HexBytes(store), change: change)
        try write(try JSONCoding.encode(document), to: path)
    }

    /// Writes an endorsement to a new file.
    ///
    /// - Parameters:
    ///   - endorsement: The endorsement.
    ///   - endorser: The endorsing custodian's name.
    ///   - store: The store id.
    ///   - path: A file that must not exist.
    /// - Throws: ``CLIError`` if the file exists, ``EscrowError`` if it cannot be written.
    static func writeEndorsement(_ endorsement: Endorsement, endorser: String, store: [UInt8], to path: String)
        throws
    {
        let document = Signed(
            format: endorsementFormat,
            version: version,
            store: HexBytes(store),
            endorser: endorser,
            endorsement: endorsement
        )
        try write(try JSONCoding.encode(document), to: path)
    }

    /// Reads a proposed change for `store`.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - store: The store id it must name.
    /// - Returns: The change (without endorsements).
    /// - Throws: ``EscrowError`` for a malformed file, ``CLIError`` for another store or a file with endorsements.
    static func readChange(_ path: String, store: [UInt8]) throws -> RosterBody {
        let (document, _) = try VersionedDocument.decode(
            Change.self,
            from: try FileSystem.read(path, limit: 1 << 20),
            format: changeFormat,
            version: version,
            source: path
        )
        guard document.store.bytes == store else {
            throw CLIError("\(path) is a roster change for another store (\(Hex.encode(document.store.bytes)))")
        }
        guard document.change.approvals.isEmpty else {
            throw CLIError("\(path) carries endorsements: a proposed change is written without them")
        }
        return document.change
    }

    /// Reads an endorsement for `store`.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - store: The store id it must name.
    /// - Returns: The endorsement.
    /// - Throws: ``EscrowError`` for a malformed file, ``CLIError`` for another store.
    static func readEndorsement(_ path: String, store: [UInt8]) throws -> Endorsement {
        let (document, _) = try VersionedDocument.decode(
            Signed.self,
            from: try FileSystem.read(path, limit: 1 << 16),
            format: endorsementFormat,
            version: version,
            source: path
        )
        guard document.store.bytes == store else {
            throw CLIError("\(path) is an endorsement for another store (\(Hex.encode(document.store.bytes)))")
        }
        return document.endorsement
    }

    /// Writes a document to a new file (never over an existing one, even one created meanwhile), atomically: a
    /// process killed while writing leaves no file or the whole file (and perhaps its temporary `PATH.tmp-…`), never
    /// a prefix that a later `endorse` or `apply` would refuse as damaged.
    private static func write(_ value: JSONValue, to path: String) throws {
        guard !FileSystem.exists(path) else {
            throw CLIError("\(path) already exists; choose another file (nothing was written)")
        }
        let file = try AtomicFile(path: path, overwrite: false, mode: 0o644)
        do {
            try file.write(JSONWriter.pretty(value))
            try file.commitWithoutReplacing()
        } catch {
            file.discard()
            throw error
        }
    }
}
