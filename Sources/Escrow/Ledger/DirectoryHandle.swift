internal import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open directory and every file-descriptor-level operation the ledger needs, relative to it: the only file in the
/// ledger that makes system calls on files (it moves to the platform target later).
///
/// Nothing here follows a symbolic link: directories are opened with `O_DIRECTORY | O_NOFOLLOW`, entries are examined
/// with `fstatat(AT_SYMLINK_NOFOLLOW)`, files are opened with `O_NOFOLLOW | O_NONBLOCK` and checked again with `fstat`
/// on the descriptor, and only regular files and directories are accepted. Messages name the entry by its display
/// path (relative to the store).
final class DirectoryHandle: @unchecked Sendable {
    // The descriptor never changes and is closed once, on deinit: sharing the handle between threads is safe.
    private let fd: Int32
    /// The directory's display path, e.g. `events/ab` or the store's path.
    let display: String
    /// What its entries' display paths start with (empty at a store's root, so that they read `events/ab/…`).
    private let childPrefix: String

    private init(fd: Int32, display: String, childPrefix: String) {
        self.fd = fd
        self.display = display
        self.childPrefix = childPrefix
    }

    deinit { close(fd) }

    /// What an entry of a directory is.
    enum Kind: Equatable {
        case directory
        case regular(size: Int64)
        case symbolicLink
        /// A FIFO, a device or a socket, named for messages.
        case special(String)
    }

    private static func systemError(_ code: Int32) -> String { String(cString: strerror(code)) }

    private func child(_ name: String) -> String { childPrefix.isEmpty ? name : "\(childPrefix)/\(name)" }

    /// The refusal for an entry that is not what was expected.
    static func refusal(_ kind: Kind, _ path: String, expected: String) -> EscrowError {
        switch kind {
        case .symbolicLink:
            return EscrowError(.tampered, "\(path) is a symbolic link: refusing to follow it")
        case .special(let what):
            return EscrowError(.tampered, "\(path) is \(what): only regular files and directories belong in a store")
        case .directory, .regular:
            return EscrowError(.malformedFile, "\(path) is not \(expected)")
        }
    }

    private static func kind(of info: stat) -> Kind {
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regular(size: Int64(info.st_size))
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .special("a FIFO")
        case S_IFCHR, S_IFBLK: return .special("a device")
        case S_IFSOCK: return .special("a socket")
        default: return .special("of an unknown file type")
        }
    }

    // MARK: Opening directories

    /// Opens the directory at `path` without following a symbolic link in its last component.
    ///
    /// - Parameters:
    ///   - path: The directory's path.
    ///   - display: What to call it in messages.
    ///   - childPrefix: What to prefix its entries' names with in messages (empty: the bare names).
    ///   - createMode: Create it (and missing parents) with this mode when it does not exist; `nil` to refuse.
    /// - Returns: The handle.
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/tampered`` (a symbolic link or special file),
    ///   ``EscrowError/Code/malformedFile`` (not a directory) or ``EscrowError/Code/ioFailure``.
    static func open(
        path: String,
        display: String,
        childPrefix: String = "",
        createMode: mode_t? = nil
    ) throws(EscrowError) -> DirectoryHandle {
        while true {
            let fd = openDirectoryNoFollow(path)
            if fd >= 0 { return DirectoryHandle(fd: fd, display: display, childPrefix: childPrefix) }
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT, let createMode {
                try makeDirectories(path, mode: createMode, display: display)
                guard let opened = try? open(path: path, display: display, childPrefix: childPrefix) else {
                    throw EscrowError(.ioFailure, "cannot open \(display) after creating it")
                }
                return opened
            }
            throw failure(opening: path, display: display, code: code)
        }
    }

    private static func failure(opening path: String, display: String, code: Int32) -> EscrowError {
        if code == ENOENT { return EscrowError(.notFound, "\(display): no such directory") }
        if code == ELOOP || code == ENOTDIR {
            var info = stat()
            if lstat(path, &info) == 0 { return refusal(kind(of: info), display, expected: "a directory") }
        }
        return EscrowError(.ioFailure, "cannot open \(display): \(systemError(code))")
    }

    private static func makeDirectories(_ path: String, mode: mode_t, display: String) throws(EscrowError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0, errno != EEXIST {
                throw EscrowError(.ioFailure, "cannot create \(display): \(systemError(errno))")
            }
        }
    }

    /// Creates the directory `path` (one level, refusing an existing entry).
    ///
    /// - Parameters:
    ///   - path: The new directory.
    ///   - mode: Its permissions.
    ///   - display: What to call it in messages.
    /// - Throws: ``EscrowError/Code/alreadyExists`` or ``EscrowError/Code/ioFailure``.
    static func makeDirectory(path: String, mode: mode_t, display: String) throws(EscrowError) {
        guard mkdir(path, mode) == 0 else {
            let code = errno
            if code == EEXIST { throw EscrowError(.alreadyExists, "\(display) already exists") }
            throw EscrowError(.ioFailure, "cannot create \(display): \(systemError(code))")
        }
    }

    /// Opens the subdirectory `name`, optionally creating it.
    ///
    /// - Parameters:
    ///   - name: A single path component.
    ///   - create: Create it (mode 0755) if it does not exist.
    /// - Returns: The handle, and whether it was created (its parent then needs a flush).
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/tampered`` (a symbolic link or special file),
    ///   ``EscrowError/Code/malformedFile`` or ``EscrowError/Code/ioFailure``, naming the path.
    func openDirectory(_ name: String, create: Bool) throws(EscrowError) -> (handle: DirectoryHandle, created: Bool) {
        var created = false
        while true {
            let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if child >= 0 {
                let display = self.child(name)
                return (DirectoryHandle(fd: child, display: display, childPrefix: display), created)
            }
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT, create, !created {
                guard mkdirat(fd, name, 0o755) == 0 || errno == EEXIST else {
                    throw EscrowError(.ioFailure, "cannot create \(self.child(name)): \(Self.systemError(errno))")
                }
                created = true
                continue
            }
            if code == ENOENT { throw EscrowError(.notFound, "\(self.child(name)): no such directory") }
            if code == ELOOP || code == ENOTDIR, let kind = try? kind(of: name) {
                throw Self.refusal(kind, self.child(name), expected: "a directory")
            }
            throw EscrowError(.ioFailure, "cannot open \(self.child(name)): \(Self.systemError(code))")
        }
    }

    // MARK: Entries

    /// What the entry `name` is, without following a symbolic link.
    ///
    /// - Parameter name: A single path component.
    /// - Returns: Its kind, or `nil` if there is no such entry.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    func kind(of name: String) throws(EscrowError) -> Kind? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw EscrowError(.ioFailure, "cannot examine \(child(name)): \(Self.systemError(errno))")
        }
        return Self.kind(of: info)
    }

    /// What the entry `name` is and its stamp (``DirectoryStamps``), without following a symbolic link.
    ///
    /// - Parameter name: A single path component.
    /// - Returns: Its kind and stamp, or `nil` if there is no such entry.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    func stamp(of name: String) throws(EscrowError) -> (kind: Kind, stamp: DirectoryStamps.Stamp)? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw EscrowError(.ioFailure, "cannot examine \(child(name)): \(Self.systemError(errno))")
        }
        return (Self.kind(of: info), DirectoryStamps.Stamp(info))
    }

    /// The names in the directory, without `.` and `..`, sorted by their bytes.
    ///
    /// - Returns: The names.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    func names() throws(EscrowError) -> [String] {
        try listing().map(\.name)
    }

    /// The entries of the directory, without `.` and `..`, sorted by the bytes of their names, each with its type as
    /// the listing reports it (no `stat`).
    ///
    /// - Returns: The names and types.
    /// - Throws: ``EscrowError/Code/malformedFile`` for a name that is not UTF-8, ``EscrowError/Code/ioFailure``.
    func listing() throws(EscrowError) -> [(name: String, type: ListedType)] {
        var entries: [(name: String, type: ListedType)] = []
        try self.entries { (bytes, type) throws(EscrowError) in
            let name = String(decoding: bytes, as: UTF8.self)
            // A repaired name would name nothing on disk, and the entry would slip through unexamined.
            guard name.utf8.elementsEqual(bytes) else {
                throw EscrowError(
                    .malformedFile,
                    "\(display) holds an entry whose name is not UTF-8 ('\(Event.printable(name))'): remove it"
                )
            }
            entries.append((name, type))
        }
        return entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// What ``entries(_:)`` says about an entry's type, from the directory listing itself (no `stat`).
    enum ListedType {
        /// A regular file.
        case regular
        /// A directory.
        case directory
        /// Anything else (a symbolic link, a FIFO, …).
        case other
        /// The file system does not say: ask ``kind(of:)``.
        case unknown
    }

    /// Calls `body` with the UTF-8 bytes of each entry's name (without `.` and `..`, in directory order, valid only
    /// during the call) and its type as the listing reports it: one `getdents` stream, no `stat` per entry.
    ///
    /// - Parameter body: Called per entry.
    /// - Throws: ``EscrowError/Code/ioFailure``, or what `body` throws.
    func entries(_ body: (UnsafeRawBufferPointer, ListedType) throws(EscrowError) -> Void) throws(EscrowError) {
        let listing = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0 else {
            throw EscrowError(.ioFailure, "cannot list \(display): \(Self.systemError(errno))")
        }
        guard let stream = fdopendir(listing) else {
            let code = errno
            close(listing)
            throw EscrowError(.ioFailure, "cannot list \(display): \(Self.systemError(code))")
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let type: ListedType
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): type = .regular
            case Int32(DT_DIR): type = .directory
            case Int32(DT_UNKNOWN): type = .unknown
            default: type = .other
            }
            var name = entry.pointee.d_name
            let length = withUnsafeBytes(of: &name) { raw in raw.firstIndex(of: 0) ?? raw.count }
            if length == 1 || length == 2 {
                let isDots = withUnsafeBytes(of: &name) { raw in
                    raw.prefix(length).allSatisfy { $0 == UInt8(ascii: ".") }
                }
                if isDots { continue }
            }
            try withUnsafeBytes(of: &name) { (raw) throws(EscrowError) in
                try body(UnsafeRawBufferPointer(rebasing: raw.prefix(length)), type)
            }
        }
    }

    // MARK: Files

    /// Reads the regular file `name` whole, refusing anything else and anything larger than `limit` (without reading
    /// more than `limit + 1` bytes).
    ///
    /// - Parameters:
    ///   - name: A single path component.
    ///   - limit: The largest size accepted.
    /// - Returns: The bytes.
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/tampered`` (a symbolic link or special file),
    ///   ``EscrowError/Code/malformedFile`` (not a regular file, too large) or ``EscrowError/Code/ioFailure``.
    func readFile(_ name: String, limit: Int) throws(EscrowError) -> [UInt8] {
        let path = child(name)
        guard let kind = try kind(of: name) else { throw EscrowError(.notFound, "\(path): no such file") }
        guard case .regular(let size) = kind else { throw Self.refusal(kind, path, expected: "a regular file") }
        guard size <= Int64(limit) else { throw EscrowError(.malformedFile, "\(path) is larger than \(limit) bytes") }
        return try readListedFile(name, limit: limit)
    }

    /// Reads the file `name`, which ``listing()`` or ``kind(of:)`` reported as a regular file, whole, as
    /// ``readFile(_:limit:)`` does but without examining the entry before opening it: the descriptor (opened without
    /// following a symbolic link and without blocking) is checked instead.
    ///
    /// - Parameters:
    ///   - name: A single path component.
    ///   - limit: The largest size accepted.
    /// - Returns: The bytes.
    /// - Throws: What ``readFile(_:limit:)`` throws.
    func readListedFile(_ name: String, limit: Int) throws(EscrowError) -> [UInt8] {
        let path = child(name)
        // O_NONBLOCK: an entry swapped for a FIFO after the check must not block the open.
        var file: Int32
        repeat {
            file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        } while file < 0 && errno == EINTR
        guard file >= 0 else {
            let code = errno
            if code == ELOOP { throw Self.refusal(.symbolicLink, path, expected: "a regular file") }
            if code == ENOENT { throw EscrowError(.notFound, "\(path): no such file") }
            throw EscrowError(.ioFailure, "cannot open \(path): \(Self.systemError(code))")
        }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else {
            throw EscrowError(.ioFailure, "cannot examine \(path): \(Self.systemError(errno))")
        }
        let opened = Self.kind(of: info)
        guard case .regular(let size) = opened else { throw Self.refusal(opened, path, expected: "a regular file") }
        guard size <= Int64(limit) else { throw EscrowError(.malformedFile, "\(path) is larger than \(limit) bytes") }
        var output = [UInt8](repeating: 0, count: min(Int(info.st_size), limit) + 1)
        var filled = 0
        while true {
            if filled == output.count {
                guard output.count <= limit else { break }
                output.append(contentsOf: repeatElement(0, count: min(65_536, limit + 1 - output.count)))
            }
            let got = output.withUnsafeMutableBytes { raw in
                read(file, raw.baseAddress.map { $0 + filled }, raw.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw EscrowError(.ioFailure, "cannot read \(path): \(Self.systemError(errno))")
            }
            if got == 0 { break }
            filled += got
        }
        guard filled <= limit else { throw EscrowError(.malformedFile, "\(path) is larger than \(limit) bytes") }
        output.removeLast(output.count - filled)
        return output
    }

    /// Writes the file `name` atomically: a fresh temporary file beside it (`O_CREAT | O_EXCL | O_NOFOLLOW`), every
    /// byte written and flushed, then renamed over `name`. The directory itself is not flushed (``sync()``), so that
    /// a batch flushes it once.
    ///
    /// The temporary file, `.<name>.tmp-<12 hex>`, is locked (`flock`) from right after its creation until after the
    /// rename: a process that finds it left over removes it only when no one holds that lock
    /// (`Platform.StaleTemporary`).
    ///
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - name: A single path component.
    ///   - mode: The new file's permissions.
    /// - Throws: ``EscrowError/Code/ioFailure`` naming the path; the temporary file is removed.
    func writeFile(_ bytes: [UInt8], to name: String, mode: mode_t) throws(EscrowError) {
        let path = child(name)
        let temporary = ".\(name).tmp-\(Hex.encode(Sodium.randomBytes(6)))"
        var file: Int32
        repeat {
            file = openat(fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        } while file < 0 && errno == EINTR
        guard file >= 0 else {
            throw EscrowError(.ioFailure, "cannot create a file in \(display): \(Self.systemError(errno))")
        }
        // Marks the write as in progress for `StaleTemporary` (released when the descriptor is closed).
        _ = flock(file, LOCK_EX | LOCK_NB)
        var failure: EscrowError?
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                write(file, raw.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                failure = EscrowError(.ioFailure, "cannot write \(path): \(Self.systemError(errno))")
                break
            }
            written += count
        }
        if failure == nil, fsync(file) != 0 {
            failure = EscrowError(.ioFailure, "cannot flush \(path): \(Self.systemError(errno))")
        }
        if failure == nil, renameat(fd, temporary, fd, name) != 0 {
            failure = EscrowError(.ioFailure, "cannot rename into \(path): \(Self.systemError(errno))")
        }
        if failure != nil { unlinkat(fd, temporary, 0) }
        close(file)  // after the rename or the unlink: the lock covers the temporary file's whole life
        if let failure { throw failure }
    }

    /// Removes the entry `name` if it is the stale temporary file of an interrupted write
    /// (`Platform.StaleTemporary`: an exact temporary name, a regular file, old enough, its writer gone); best effort.
    ///
    /// - Parameter name: A single path component.
    /// - Returns: Whether it was removed.
    @discardableResult
    func removeIfStaleTemporary(_ name: String) -> Bool {
        StaleTemporary.removeIfStale(name, in: fd)
    }

    /// Removes a file (or, with `directory: true`, an empty directory) of this directory, without following links.
    ///
    /// - Parameters:
    ///   - name: A single path component.
    ///   - directory: Whether `name` is an empty directory.
    /// - Returns: `false` if there was nothing to remove, or a directory was not empty.
    /// - Throws: ``EscrowError/Code/ioFailure`` naming the path.
    @discardableResult
    func remove(_ name: String, directory: Bool = false) throws(EscrowError) -> Bool {
        guard unlinkat(fd, name, directory ? AT_REMOVEDIR : 0) == 0 else {
            if errno == ENOENT || (directory && (errno == ENOTEMPTY || errno == EEXIST)) { return false }
            throw EscrowError(.ioFailure, "cannot remove \(child(name)): \(Self.systemError(errno))")
        }
        return true
    }

    /// Flushes the directory's entries (new names, renames) to stable storage.
    ///
    /// - Throws: ``EscrowError/Code/ioFailure``.
    func sync() throws(EscrowError) {
        guard fsync(fd) == 0 else {
            throw EscrowError(.ioFailure, "cannot flush \(display): \(Self.systemError(errno))")
        }
    }
}

/// `open(2)` of a directory without following a final symbolic link, reachable from inside `DirectoryHandle` (whose own
/// `open` would shadow it).
private func openDirectoryNoFollow(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
}
