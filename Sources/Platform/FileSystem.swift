public import Sodium

#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// Thin POSIX file-system helpers with one-line errors naming the path: existence, whole-file reads (secrets straight
/// into guarded memory), listings, directories, removal, and the flushes durable writes need.
public enum FileSystem {
    /// Whether something exists at `path` (a dangling symbolic link counts as existing).
    ///
    /// - Parameter path: The path.
    /// - Returns: `true` if `lstat` succeeds.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a directory.
    ///
    /// - Parameter path: The path.
    /// - Returns: `true` for a directory (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The permission bits of `path` (`st_mode & 0o7777`, following symbolic links).
    ///
    /// - Parameter path: The path.
    /// - Returns: The bits, or `nil` if `stat` fails (the read that follows reports why).
    public static func permissions(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Reads a whole file.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - limit: The largest size accepted.
    /// - Returns: The bytes.
    /// - Throws: ``PlatformError/Code/notFound``, ``PlatformError/Code/ioFailure`` or ``PlatformError/Code/tooLarge``.
    public static func read(_ path: String, limit: Int = 256 << 20) throws(PlatformError) -> [UInt8] {
        let fd = try FileDescriptorIO.openForReading(path)
        defer { close(fd) }
        return try FileDescriptorIO.readAll(fd, limit: limit, name: path)
    }

    /// Reads a whole file into guarded memory.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - limit: The largest size accepted.
    /// - Returns: The bytes, in guarded memory.
    /// - Throws: ``PlatformError/Code/notFound``, ``PlatformError/Code/ioFailure`` or ``PlatformError/Code/tooLarge``.
    public static func readSecret(path: String, limit: Int) throws(PlatformError) -> SecureBytes {
        let fd = try FileDescriptorIO.openForReading(path)
        defer { close(fd) }
        return try FileDescriptorIO.readSecret(fd, limit: limit, name: path)
    }

    /// Reads a whole file of any size into guarded memory.
    ///
    /// - Parameter path: The file.
    /// - Returns: The bytes.
    /// - Throws: ``PlatformError/Code/notFound`` or ``PlatformError/Code/ioFailure``.
    public static func readAll(path: String) throws(PlatformError) -> SecretBuffer {
        let fd = try FileDescriptorIO.openForReading(path)
        defer { close(fd) }
        return try FileDescriptorIO.readAll(fd, name: path)
    }

    /// The names in a directory, without `.` and `..`, sorted.
    ///
    /// - Parameter path: The directory.
    /// - Returns: The entry names.
    /// - Throws: ``PlatformError/Code/notFound`` or ``PlatformError/Code/ioFailure``.
    public static func list(_ path: String) throws(PlatformError) -> [String] {
        try names(in: path, hiddenOnly: false).sorted()
    }

    /// The hidden names in a directory (starting with `.`), without `.` and `..`, sorted. Other entries are skipped
    /// without being decoded, so this stays cheap in a directory of thousands of files.
    ///
    /// - Parameter path: The directory.
    /// - Returns: The hidden entry names.
    /// - Throws: ``PlatformError/Code/notFound`` or ``PlatformError/Code/ioFailure``.
    public static func hiddenNames(in path: String) throws(PlatformError) -> [String] {
        try names(in: path, hiddenOnly: true).sorted()
    }

    private static func names(in path: String, hiddenOnly: Bool) throws(PlatformError) -> [String] {
        guard let directory = opendir(path) else { throw PlatformError.system("list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.prefix { $0 != 0 }
                if hiddenOnly, bytes.first != UInt8(ascii: ".") { return nil }
                return String(decoding: bytes, as: UTF8.self)
            }
            if let name, name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates a directory.
    ///
    /// - Parameters:
    ///   - path: The new directory.
    ///   - mode: Its permissions.
    /// - Throws: ``PlatformError/Code/alreadyExists`` or ``PlatformError/Code/ioFailure``.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(PlatformError) {
        guard mkdir(path, mode) == 0 else {
            if errno == EEXIST {
                throw PlatformError(.alreadyExists, "\(path) already exists", systemErrorNumber: EEXIST)
            }
            throw PlatformError.system("create directory", path)
        }
    }

    /// Removes a file (not a directory); a missing file is not an error.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public static func remove(_ path: String) throws(PlatformError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw PlatformError.system("remove", path) }
    }

    /// Removes a directory tree. Symbolic links are removed, never followed.
    ///
    /// - Parameter path: The directory.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public static func removeTree(_ path: String) throws(PlatformError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 else { throw PlatformError.system("remove", path) }
        } else {
            try remove(path)
        }
    }

    /// Creates a fresh private directory (`mkdtemp`, mode 0700) under `$TMPDIR` (or `/tmp`).
    ///
    /// - Parameter prefix: The start of the directory's name.
    /// - Returns: Its path.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public static func makeTemporaryDirectory(prefix: String) throws(PlatformError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let address = buffer.baseAddress else { return false }
            return mkdtemp(address) != nil
        }
        guard made else { throw PlatformError.system("create a temporary directory in", base) }
        return String(cString: template.map { $0 })
    }

    /// The parent directory of `path` (`.` for a bare name).
    ///
    /// - Parameter path: A path.
    /// - Returns: Everything before the last `/`.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Writes `bytes` to `path` (created, or truncated unless `exclusive`), optionally flushing them to stable
    /// storage before returning. Not atomic: use ``AtomicFile`` to replace a file readers may be looking at.
    ///
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - path: The file to write.
    ///   - mode: Permissions when the file is created.
    ///   - exclusive: Fail if the file exists.
    ///   - flush: `fsync` the file before returning.
    /// - Throws: ``PlatformError/Code/ioFailure`` (or ``PlatformError/Code/alreadyExists`` when `exclusive`).
    public static func writeFile(
        _ bytes: [UInt8],
        to path: String,
        mode: mode_t = 0o644,
        exclusive: Bool = false,
        flush: Bool = true
    ) throws(PlatformError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let fd = open(path, flags, mode)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw PlatformError(.alreadyExists, "\(path) already exists", systemErrorNumber: EEXIST)
            }
            throw PlatformError.system("create", path)
        }
        defer { close(fd) }
        try FileDescriptorIO.writeAll(fd, bytes, name: path)
        if flush {
            guard fsync(fd) == 0 else { throw PlatformError.system("flush", path) }
        }
    }

    /// Flushes a file written earlier to stable storage.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public static func flush(_ path: String) throws(PlatformError) {
        let fd = try FileDescriptorIO.openForReading(path)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw PlatformError.system("flush", path) }
    }

    /// Flushes a directory's entries (after a rename or a new file) to stable storage.
    ///
    /// - Parameter path: The directory.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public static func syncDirectory(_ path: String) throws(PlatformError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw PlatformError.system("open directory", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw PlatformError.system("flush directory", path) }
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
    /// - Parameter path: A directory on the file system to flush.
    /// - Throws: ``PlatformError/Code/ioFailure``; ``PlatformError/Code/unsupported`` where `syncfs` does not exist
    ///   (check ``canSyncFileSystem``).
    public static func syncFileSystem(of path: String) throws(PlatformError) {
        #if os(Linux)
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw PlatformError.system("open directory", path) }
            defer { close(fd) }
            guard posixSyncFS(fd) == 0 else { throw PlatformError.system("flush the file system of", path) }
        #else
            throw PlatformError(.unsupported, "syncfs is not available on this system: flush each file instead")
        #endif
    }

    /// Renames `source` over `target` (atomic on POSIX file systems).
    ///
    /// - Parameters:
    ///   - source: The temporary file.
    ///   - target: The final name.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public static func rename(_ source: String, over target: String) throws(PlatformError) {
        guard posixRename(source, target) == 0 else { throw PlatformError.system("rename", "\(source) to \(target)") }
    }
}

/// `rename(2)`, reachable from inside `FileSystem` (whose own `rename` would shadow it).
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
