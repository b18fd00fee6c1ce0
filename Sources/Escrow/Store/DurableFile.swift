import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable file writes: write + `fsync`, then `rename` over the target and `fsync` the directory, so that after a
/// crash the target holds either its old or its new contents, never a mix.
public enum DurableFile {
    /// Writes `bytes` to `path` (created or truncated) and flushes them to stable storage.
    ///
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - path: The file to write.
    ///   - mode: Permissions when the file is created.
    ///   - exclusive: Fail if the file exists.
    /// - Throws: ``EscrowError/Code/ioFailure`` (or ``EscrowError/Code/alreadyExists`` when `exclusive`).
    public static func writeDurably(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, exclusive: Bool = false)
        throws(EscrowError)
    {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let fd = open(path, flags, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw EscrowError(.alreadyExists, "\(path) already exists") }
            throw FileSystem.failure("create", path)
        }
        defer { close(fd) }
        try writeAll(bytes, to: fd, path: path)
        guard fsync(fd) == 0 else { throw FileSystem.failure("flush", path) }
    }

    /// Writes `bytes` to `path` (created or truncated) **without** flushing: a batch writes many files this way and
    /// then makes them durable together (``syncFileSystem(of:)``, or ``flush(_:)`` for each).
    ///
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - path: The file to write.
    ///   - mode: Permissions when the file is created.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func writeUnflushed(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(EscrowError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_TRUNC, mode)
        guard fd >= 0 else { throw FileSystem.failure("create", path) }
        defer { close(fd) }
        try writeAll(bytes, to: fd, path: path)
    }

    /// Flushes a file written earlier (``writeUnflushed(_:to:mode:)``) to stable storage.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func flush(_ path: String) throws(EscrowError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.failure("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileSystem.failure("flush", path) }
    }

    /// Whether ``syncFileSystem(of:)`` is available here (Linux `syncfs(2)`).
    public static var canSyncFileSystem: Bool {
        #if os(Linux)
            return true
        #else
            return false
        #endif
    }

    /// Flushes every dirty file and directory entry of the file system holding `path` with one `syncfs(2)` call: the
    /// cheap way to make thousands of freshly written files durable at once (Linux only; since Linux 5.8 it reports
    /// write-back errors of that file system).
    ///
    /// - Parameter path: A directory on the file system to flush (the store).
    /// - Throws: ``EscrowError/Code/ioFailure``; ``EscrowError/Code/invalidInput`` where `syncfs` does not exist
    ///   (check ``canSyncFileSystem``).
    public static func syncFileSystem(of path: String) throws(EscrowError) {
        #if os(Linux)
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw FileSystem.failure("open directory", path) }
            defer { close(fd) }
            guard posixSyncFS(fd) == 0 else { throw FileSystem.failure("flush the file system of", path) }
        #else
            throw EscrowError(.invalidInput, "syncfs is not available on this system: flush each file instead")
        #endif
    }

    /// Writes every byte of `bytes` to `fd`, retrying short writes.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(EscrowError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                posixWrite(fd, raw.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystem.failure("write", path)
            }
            written += count
        }
    }

    /// Flushes a directory's entries (after a rename or a new file) to stable storage.
    ///
    /// - Parameter path: The directory.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func syncDirectory(_ path: String) throws(EscrowError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.failure("open directory", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileSystem.failure("flush directory", path) }
    }

    /// Renames `source` over `target` (atomic on POSIX file systems).
    ///
    /// - Parameters:
    ///   - source: The temporary file.
    ///   - target: The final name.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func rename(_ source: String, over target: String) throws(EscrowError) {
        guard posixRename(source, target) == 0 else { throw FileSystem.failure("rename", "\(source) to \(target)") }
    }

    /// Replaces `path` atomically: writes a temporary file beside it, flushes it, renames it over `path` and flushes
    /// the directory. On failure the temporary file is removed and `path` is unchanged.
    ///
    /// - Parameters:
    ///   - bytes: The new contents.
    ///   - path: The file to replace (or create).
    ///   - mode: Permissions of the new file.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(EscrowError) {
        let directory = FileSystem.directory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = "\(directory)/.\(name).tmp-\(Hex.encode(Sodium.randomBytes(6)))"
        do {
            try writeDurably(bytes, to: temporary, mode: mode, exclusive: true)
            try rename(temporary, over: path)
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
        try syncDirectory(directory)
    }
}

/// `rename(2)`, reachable from inside `DurableFile` (whose own `rename` would shadow it).
private func posixRename(_ source: String, _ target: String) -> Int32 {
    rename(source, target)
}

#if os(Linux)
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// `syncfs(2)`: glibc declares it only under `_GNU_SOURCE`, which the Glibc module does not define, so it is
    /// bound by its symbol name (the signature is `int syncfs(int fd)`).
    @_silgen_name("syncfs")
    private func posixSyncFS(_ fd: CInt) -> CInt
#endif

/// `write(2)`, reachable from inside `DurableFile` (whose own `write` would shadow it).
func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
