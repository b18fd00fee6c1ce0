#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name and moved into place only when complete: readers see the old state or
/// the whole new file, never a part. Protocol: create the temporary file (`O_EXCL`) in the target's directory, write,
/// `fsync`, then ``commit()``: `rename`, `fsync` the directory. ``discard()`` (or releasing the object) removes it.
///
/// ``commit(durably:)`` with `durably: false` skips both `fsync`s: the rename is still atomic (no reader ever sees a
/// partial file under the final name), but after a power loss the file may be missing, empty or short, as after
/// `cp`. Use it only for output whose readers verify it (share files carry a checksum).
///
/// A process killed before the commit leaves its temporary file, `<name>.tmp-<pid>-<n>` (or `.<name>.tmp-…` when
/// hidden); in the state directory the hidden ones are removed once stale (``StaleTemporary``).
public final class AtomicFile {
    /// The final path.
    public let path: String
    /// The temporary file's path.
    public let temporaryPath: String
    /// The temporary file's descriptor (open for writing until ``commit()`` or ``discard()``).
    public let fd: Int32
    private var finished = false

    /// Creates the temporary file next to `path`.
    ///
    /// - Parameters:
    ///   - path: The final path.
    ///   - overwrite: Replace an existing file at `path` (refused otherwise).
    ///   - mode: The new file's permissions.
    ///   - hidden: Name the temporary file `.<name>.tmp-…` (hidden from listings) instead of `<name>.tmp-…`.
    /// - Throws: ``PlatformError/Code/alreadyExists`` if `path` exists and not `overwrite`;
    ///   ``PlatformError/Code/ioFailure`` if the temporary file cannot be created.
    public init(path: String, overwrite: Bool = false, mode: mode_t = 0o600, hidden: Bool = false) throws(PlatformError)
    {
        if !overwrite && access(path, F_OK) == 0 {
            throw PlatformError(.alreadyExists, "\(path) already exists; remove it or choose another name")
        }
        self.path = path
        let stem: String
        if hidden {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            stem = "\(FileSystem.directory(of: path))/.\(name)"
        } else {
            stem = path
        }
        var attempt = 0
        while true {
            let candidate = "\(stem).tmp-\(getpid())-\(attempt)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 {
                self.fd = fd
                self.temporaryPath = candidate
                return
            }
            if errno != EEXIST || attempt > 100 { throw PlatformError.system("create", candidate) }
            attempt += 1
        }
    }

    /// Asks the file system to allocate `byteCount` bytes for the file now (best effort, ignored where unsupported):
    /// later writes then skip per-block allocation, and a full disk shows up before any data is written. The file's
    /// size becomes at least `byteCount`: call ``setLength(_:)`` with the final size before ``commit()``.
    ///
    /// - Parameter byteCount: The expected final size.
    public func reserve(byteCount: Int) {
        #if os(Linux)
            _ = posix_fallocate(fd, 0, off_t(byteCount))
        #endif
    }

    /// Sets the file's size (cuts off what ``reserve(byteCount:)`` allocated beyond the data).
    ///
    /// - Parameter byteCount: The final size.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public func setLength(_ byteCount: Int) throws(PlatformError) {
        guard ftruncate(fd, off_t(byteCount)) == 0 else { throw PlatformError.system("write", temporaryPath) }
    }

    /// Appends bytes.
    ///
    /// - Parameter bytes: The bytes.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(PlatformError) {
        try FileDescriptorIO.writeAll(fd, bytes, name: temporaryPath)
    }

    /// Appends bytes.
    ///
    /// - Parameter bytes: The bytes.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public func write(_ bytes: [UInt8]) throws(PlatformError) {
        try FileDescriptorIO.writeAll(fd, bytes, name: temporaryPath)
    }

    /// Appends `first` then `second` in one gathering write.
    ///
    /// - Parameters:
    ///   - first: The bytes written first.
    ///   - second: The bytes written after them.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) throws(PlatformError) {
        try FileDescriptorIO.writeAll(fd, first, second, name: temporaryPath)
    }

    /// Overwrites bytes at `offset`.
    ///
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - offset: Where they go.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(PlatformError) {
        try FileDescriptorIO.writeAll(fd, bytes, at: offset, name: temporaryPath)
    }

    /// Flushes the data to stable storage (``commit()`` does it too).
    ///
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public func sync() throws(PlatformError) {
        guard fsync(fd) == 0 else { throw PlatformError.system("flush", temporaryPath) }
    }

    /// Flushes the data, moves the file into place and flushes the directory.
    ///
    /// - Throws: ``PlatformError/Code/ioFailure``; the temporary file is removed and `path` is unchanged unless the
    ///   rename happened (a failure to flush the directory afterwards is still reported).
    public func commit() throws(PlatformError) {
        try commit(durably: true)
    }

    /// Flushes the file's data; on failure removes the temporary file and rethrows.
    private func syncOrDiscard() throws(PlatformError) {
        do {
            try sync()
        } catch {
            discard()
            throw error
        }
    }

    /// Moves the file into place; with `durably`, flushes the data first and the directory afterwards.
    ///
    /// - Parameter durably: Flush the data and the directory.
    /// - Throws: ``PlatformError/Code/ioFailure``; the temporary file is removed on failure.
    public func commit(durably: Bool) throws(PlatformError) {
        if durably { try syncOrDiscard() }
        close(fd)
        finished = true
        guard rename(temporaryPath, path) == 0 else {
            let error = PlatformError.system("create", path)
            unlink(temporaryPath)
            throw error
        }
        if durably { try FileSystem.syncDirectory(FileSystem.directory(of: path)) }
    }

    /// Flushes the file and moves it into place only if nothing exists at ``path`` by then (a hard link, which never
    /// replaces a file, then the temporary name removed); flushes the directory.
    ///
    /// On a file system without hard links it falls back to the rename of ``commit()`` after checking that `path`
    /// is still free (the check and the rename are then two steps).
    ///
    /// - Throws: ``PlatformError/Code/alreadyExists`` if `path` appeared since ``init(path:overwrite:mode:hidden:)``,
    ///   ``PlatformError/Code/ioFailure``; the temporary file is removed on failure.
    public func commitWithoutReplacing() throws(PlatformError) {
        try syncOrDiscard()
        close(fd)
        finished = true
        if link(temporaryPath, path) == 0 {
            unlink(temporaryPath)
        } else {
            let code = errno
            guard code == EPERM || code == EOPNOTSUPP || code == ENOTSUP, access(path, F_OK) != 0 else {
                unlink(temporaryPath)
                throw code == EEXIST
                    ? PlatformError(.alreadyExists, "\(path) already exists; remove it or choose another name")
                    : PlatformError.system("create", path, errno: code)
            }
            guard rename(temporaryPath, path) == 0 else {
                let error = PlatformError.system("create", path)
                unlink(temporaryPath)
                throw error
            }
        }
        try FileSystem.syncDirectory(FileSystem.directory(of: path))
    }

    /// Removes the temporary file (nothing after ``commit()``).
    public func discard() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(temporaryPath)
    }

    deinit { discard() }

    /// Replaces `path` atomically with `bytes`: a hidden temporary file beside it, flushed, renamed over `path`, and
    /// the directory flushed. On failure the temporary file is removed and `path` is unchanged.
    ///
    /// - Parameters:
    ///   - bytes: The new contents.
    ///   - path: The file to replace (or create).
    ///   - mode: Permissions of the new file.
    /// - Throws: ``PlatformError/Code/ioFailure``.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(PlatformError) {
        let file = try AtomicFile(path: path, overwrite: true, mode: mode, hidden: true)
        do {
            try file.write(bytes)
        } catch {
            file.discard()
            throw error
        }
        try file.commit()
    }
}
