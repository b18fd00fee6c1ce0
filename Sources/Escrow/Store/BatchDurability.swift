/// How a commit makes its new files durable before the commit point (see ``StoreSession/commitBatch(_:actor:)``).
public enum BatchDurability: Hashable, Sendable, CaseIterable {
    /// ``fileSystem`` where available for commits of 16 files or more, ``eachFile`` otherwise.
    case automatic
    /// `fsync` every new file, then its directory: cost grows with the number of files.
    case eachFile
    /// Write every new file, then ONE `syncfs(2)` of the store's file system (Linux only; elsewhere this falls back
    /// to ``eachFile``).
    case fileSystem

    /// The smallest commit for which ``automatic`` uses ``fileSystem``.
    public static let fileSystemThreshold = 16

    /// The strategy actually used for a commit of `fileCount` files.
    ///
    /// - Parameter fileCount: The number of new files.
    /// - Returns: ``eachFile`` or ``fileSystem``.
    public func resolved(fileCount: Int) -> BatchDurability {
        switch self {
        case .eachFile:
            return .eachFile
        case .fileSystem:
            return DurableFile.canSyncFileSystem ? .fileSystem : .eachFile
        case .automatic:
            return DurableFile.canSyncFileSystem && fileCount >= Self.fileSystemThreshold ? .fileSystem : .eachFile
        }
    }
}
