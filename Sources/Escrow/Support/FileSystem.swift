import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin POSIX file helpers with one-line errors naming the path. Reads of secrets go straight into guarded memory.
public enum FileSystem {
    /// The text of the current `errno`.
    static func systemError() -> String { String(cString: strerror(errno)) }

    /// The error for a failed system call on `path`.
    static func failure(_ what: String, _ path: String) -> EscrowError {
        let code = errno
        let reason = String(cString: strerror(code))
        if code == ENOENT { return EscrowError(.notFound, "\(path): no such file or directory") }
        return EscrowError(.ioFailure, "cannot \(what) \(path): \(reason)")
    }

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

    /// Reads a whole file, refusing one larger than `limit`: at most `limit + 1` bytes are ever read (the one byte
    /// too many proves the file is too large), so a huge file or an endless pipe is refused without filling memory.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - limit: The largest size accepted.
    /// - Returns: The bytes.
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/ioFailure`` or ``EscrowError/Code/invalidInput``
    ///   (larger than `limit`).
    public static func read(_ path: String, limit: Int = 256 << 20) throws(EscrowError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        return try read(fd: fd, limit: limit, name: path)
    }

    /// Reads everything from a file descriptor, refusing more than `limit` bytes; at most `limit + 1` bytes are
    /// consumed, so the rest of a pipe stays unread.
    ///
    /// - Parameters:
    ///   - fd: The descriptor; it is not closed.
    ///   - limit: The largest size accepted.
    ///   - name: What to call the source in messages.
    /// - Returns: The bytes.
    /// - Throws: ``EscrowError/Code/ioFailure`` or ``EscrowError/Code/invalidInput`` (more than `limit` bytes).
    public static func read(fd: Int32, limit: Int, name: String) throws(EscrowError) -> [UInt8] {
        precondition(limit >= 0, "FileSystem.read needs a limit of at least 0")
        let wanted = limit == .max ? limit : limit + 1
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while output.count < wanted {
            let ask = min(chunk.count, wanted - output.count)
            let count = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, ask) }
            if count < 0 {
                if errno == EINTR { continue }
                throw EscrowError(.ioFailure, "cannot read \(name): \(systemError())")
            }
            if count == 0 { break }
            output.append(contentsOf: chunk[0..<count])
        }
        guard output.count <= limit else { throw EscrowError(.invalidInput, "\(name) is larger than \(limit) bytes") }
        return output
    }

    /// Reads `count` bytes of an open file from `offset` on (fewer only at its end).
    ///
    /// - Parameters:
    ///   - fd: The open descriptor; its position is not used or moved.
    ///   - offset: Where to start reading.
    ///   - count: How many bytes to read.
    ///   - path: What to name in an error.
    /// - Returns: The bytes read, `count` of them unless the file ends first.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    static func read(fd: Int32, at offset: Int64, count: Int, path: String) throws(EscrowError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress.map { $0 + filled }, raw.count - filled, off_t(offset) + off_t(filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if got == 0 { break }
            filled += got
        }
        if filled < count { buffer.removeLast(count - filled) }
        return buffer
    }

    /// Reads everything from a file descriptor into guarded memory, refusing more than `limit` bytes: the buffer
    /// holds `limit + 1` bytes and no more is read, so the rest of a pipe stays unread.
    ///
    /// - Parameters:
    ///   - fd: The descriptor (e.g. 0 for standard input); it is not closed.
    ///   - limit: The largest size accepted.
    ///   - name: What to call the source in messages.
    /// - Returns: The bytes, in guarded memory.
    /// - Throws: ``EscrowError/Code/ioFailure`` or ``EscrowError/Code/invalidInput`` (more than `limit` bytes).
    public static func readSecret(fd: Int32, limit: Int, name: String) throws(EscrowError) -> SecureBytes {
        let buffer = SecureBytes(count: limit + 1)
        var total = 0
        let failed: EscrowError? = buffer.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return nil }
            while total < bytes.count {
                let count = posixRead(fd, base + total, bytes.count - total)
                if count < 0 {
                    if errno == EINTR { continue }
                    return EscrowError(.ioFailure, "cannot read \(name): \(systemError())")
                }
                if count == 0 { return nil }
                total += count
            }
            return nil
        }
        if let failed { throw failed }
        guard total <= limit else { throw EscrowError(.invalidInput, "\(name) is larger than \(limit) bytes") }
        return buffer.slice(0..<total)
    }

    /// Reads a whole file into guarded memory.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - limit: The largest size accepted.
    /// - Returns: The bytes, in guarded memory.
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/ioFailure`` or ``EscrowError/Code/invalidInput``.
    public static func readSecret(path: String, limit: Int) throws(EscrowError) -> SecureBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        return try readSecret(fd: fd, limit: limit, name: path)
    }

    /// The names in a directory, without `.` and `..`, sorted.
    ///
    /// - Parameter path: The directory.
    /// - Returns: The entry names.
    /// - Throws: ``EscrowError/Code/notFound`` or ``EscrowError/Code/ioFailure``.
    public static func list(_ path: String) throws(EscrowError) -> [String] {
        try names(in: path, hiddenOnly: false).sorted()
    }

    /// The hidden names in a directory (starting with `.`), without `.` and `..`, sorted. Other entries are skipped
    /// without being decoded, so this stays cheap in a directory of thousands of files (crash recovery runs it before
    /// every command to find pending files).
    ///
    /// - Parameter path: The directory.
    /// - Returns: The hidden entry names.
    /// - Throws: ``EscrowError/Code/notFound`` or ``EscrowError/Code/ioFailure``.
    public static func hiddenNames(in path: String) throws(EscrowError) -> [String] {
        try names(in: path, hiddenOnly: true).sorted()
    }

    private static func names(in path: String, hiddenOnly: Bool) throws(EscrowError) -> [String] {
        guard let directory = opendir(path) else { throw failure("list", path) }
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
    /// - Throws: ``EscrowError/Code/alreadyExists`` or ``EscrowError/Code/ioFailure``.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(EscrowError) {
        guard mkdir(path, mode) == 0 else {
            if errno == EEXIST { throw EscrowError(.alreadyExists, "\(path) already exists") }
            throw failure("create directory", path)
        }
    }

    /// Removes a file (not a directory); a missing file is not an error.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func remove(_ path: String) throws(EscrowError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("remove", path) }
    }

    /// Removes a directory tree (used by `escrow demo` and tests for their temporary stores). Symbolic links are
    /// removed, never followed.
    ///
    /// - Parameter path: The directory.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func removeTree(_ path: String) throws(EscrowError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 else { throw failure("remove", path) }
        } else {
            try remove(path)
        }
    }

    /// Creates a fresh private directory (`mkdtemp`, mode 0700) under the system's temporary directory.
    ///
    /// - Parameter prefix: The start of the directory's name.
    /// - Returns: Its path.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    public static func makeTemporaryDirectory(prefix: String) throws(EscrowError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let address = buffer.baseAddress else { return false }
            return mkdtemp(address) != nil
        }
        guard made else {
            throw EscrowError(.ioFailure, "cannot create a temporary directory in \(base): \(systemError())")
        }
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
}

/// `read(2)`, reachable from inside `FileSystem` (whose own `read` would shadow it).
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
