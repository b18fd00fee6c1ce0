import Escrow
import Platform

/// Refused quorum attempts and wrong passphrases, kept in this user's state directory until the member concerned
/// next signs an event in the store, which publishes them as an `attempt` event (``StoreContext/append(_:message:by:)``).
///
/// A refusal writes nothing to the store (nothing can be signed before the passphrase, and a refused command
/// changes nothing there); it is recorded here instead: `attempts/<store id>.json`, mode 0600 in a 0700 directory,
/// one entry per attempt with the key of the identity file that was used. Recording is best effort: it never masks
/// the refusal itself. A journal that others may access is neither added to nor published (others could have
/// written entries that the member would then sign).
enum AttemptJournal {
    /// The `format` member of a journal file.
    static let format = "escrow-attempts"
    /// The most entries kept per store (the oldest go first).
    static let capacity = 500

    /// One journal entry.
    struct Entry: Codable, Equatable {
        /// The signing key of the identity file used.
        var author: HexBytes
        /// The attempt.
        var attempt: AttemptRecord
    }

    /// The file's content.
    private struct File: Codable {
        var format: String
        var version: Int
        var entries: [Entry]
    }

    /// The journal of a store.
    ///
    /// - Parameters:
    ///   - store: The store id.
    ///   - stateDirectory: This user's state directory.
    /// - Returns: The path.
    static func path(store: [UInt8], stateDirectory: String) -> String {
        stateDirectory + "/attempts/\(Hex.encode(store)).json"
    }

    /// The entries of a store's journal (none when there is no journal).
    ///
    /// - Parameters:
    ///   - store: The store id.
    ///   - stateDirectory: This user's state directory.
    /// - Returns: The entries, oldest first.
    /// - Throws: An I/O error, or ``EscrowError`` for a damaged journal.
    static func entries(store: [UInt8], stateDirectory: String) throws -> [Entry] {
        let path = path(store: store, stateDirectory: stateDirectory)
        guard FileSystem.exists(path) else { return [] }
        if let mode = PrivateFile.exposedMode(path) {
            // Anyone who can write it could make this member sign made-up attempts when they are published.
            throw CLIError(
                "\(path) is accessible by others (mode \(mode)): its entries are not published under your name; "
                    + "check them, then chmod 600 it"
            )
        }
        let value = try JSONParser.parse(try FileSystem.read(path, limit: 4 << 20), source: path)
        let file = try JSONCoding.decode(File.self, from: value, source: path)
        guard file.format == format, file.version == 1 else {
            throw CLIError("\(path) is not an attempt journal of this version")
        }
        return file.entries
    }

    /// Replaces a store's journal (removes it when `entries` is empty).
    private static func save(_ entries: [Entry], store: [UInt8], stateDirectory: String) throws {
        let path = path(store: store, stateDirectory: stateDirectory)
        guard !entries.isEmpty else {
            if FileSystem.exists(path) { try FileSystem.remove(path) }
            return
        }
        let directory = FileSystem.directory(of: path)
        if !FileSystem.exists(stateDirectory) { try FileSystem.makeDirectory(stateDirectory, mode: 0o700) }
        if !FileSystem.exists(directory) { try FileSystem.makeDirectory(directory, mode: 0o700) }
        let file = File(format: format, version: 1, entries: Array(entries.suffix(capacity)))
        try AtomicFile.write(JSONWriter.pretty(try JSONCoding.encode(file)), to: path, mode: 0o600)
    }

    /// Records one attempt (best effort: a failure to record is one warning line, never a new error).
    ///
    /// - Parameters:
    ///   - attempt: The attempt.
    ///   - author: The identity file's signing key.
    ///   - store: The store id.
    ///   - stateDirectory: This user's state directory.
    static func record(_ attempt: AttemptRecord, author: [UInt8], store: [UInt8], stateDirectory: String) {
        do {
            let entries = try self.entries(store: store, stateDirectory: stateDirectory)
            try save(
                entries + [Entry(author: HexBytes(author), attempt: attempt)],
                store: store,
                stateDirectory: stateDirectory
            )
        } catch {
            Console.warning(
                "could not record this refused attempt in \(path(store: store, stateDirectory: stateDirectory)): "
                    + "\(error)"
            )
        }
    }

    /// Removes the entries of `author` that were published.
    ///
    /// - Parameters:
    ///   - published: The entries published.
    ///   - store: The store id.
    ///   - stateDirectory: This user's state directory.
    /// - Throws: An I/O error.
    static func remove(_ published: [Entry], store: [UInt8], stateDirectory: String) throws {
        var remaining = try entries(store: store, stateDirectory: stateDirectory)
        for entry in published {
            if let index = remaining.firstIndex(of: entry) { remaining.remove(at: index) }
        }
        try save(remaining, store: store, stateDirectory: stateDirectory)
    }
}
