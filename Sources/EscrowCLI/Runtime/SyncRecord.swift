import Escrow
import Platform

/// When this user last ran a successful `escrow sync` of a store: one small file per store in the state directory
/// (`sync/<store id>`, holding an RFC 3339 time). Approvers of a git-shared store must have synced recently, so they
/// approve against the team's heads and not a withheld fork.
enum SyncRecord {
    /// How old the last sync may be when approving (15 minutes).
    static let maximumAge: Int64 = 15 * 60

    /// The record's path.
    ///
    /// - Parameters:
    ///   - stateDirectory: This user's state directory.
    ///   - store: The store id.
    /// - Returns: The file's path.
    static func path(stateDirectory: String, store: [UInt8]) -> String {
        stateDirectory + "/sync/" + Hex.encode(store)
    }

    /// Records a successful sync.
    ///
    /// - Parameters:
    ///   - time: When it finished.
    ///   - stateDirectory: This user's state directory.
    ///   - store: The store id.
    /// - Throws: ``PlatformError`` if the file cannot be written.
    static func save(_ time: UTCTime, stateDirectory: String, store: [UInt8]) throws {
        let directory = stateDirectory + "/sync"
        if !FileSystem.exists(directory) { try FileSystem.makeDirectory(directory, mode: 0o700) }
        try AtomicFile.write(
            Array("\(time)\n".utf8),
            to: path(stateDirectory: stateDirectory, store: store),
            mode: 0o600
        )
    }

    /// The time of the last recorded sync, if any.
    ///
    /// - Parameters:
    ///   - stateDirectory: This user's state directory.
    ///   - store: The store id.
    /// - Returns: The time, or `nil` if there is no readable record.
    static func load(stateDirectory: String, store: [UInt8]) -> UTCTime? {
        guard let bytes = try? FileSystem.read(path(stateDirectory: stateDirectory, store: store), limit: 64) else {
            return nil
        }
        let text = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        return UTCTime(text)
    }
}
