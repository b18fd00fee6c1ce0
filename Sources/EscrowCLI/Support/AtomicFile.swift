#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name and moved into place only when complete: readers see the old state or
/// the whole new file, never a part. Protocol: create the temp file (mode 0600, `O_EXCL`) in the target's
/// directory, write, `fsync`, then ``commit()``: `rename`, `fsync` the directory. ``discard()`` removes it.
final class AtomicFile {
    let path: String
    let temporaryPath: String
    let fd: Int32
    private var finished = false

    /// Creates the temporary file next to `path`. Refuses to replace an existing file unless `overwrite`.
    init(path: String, overwrite: Bool = false) throws {
        if !overwrite && access(path, F_OK) == 0 {
            throw CLIError("\(path) already exists; remove it or choose another name")
        }
        self.path = path
        var attempt = 0
        while true {
            let candidate = "\(path).tmp-\(getpid())-\(attempt)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                self.fd = fd
                self.temporaryPath = candidate
                return
            }
            if errno != EEXIST || attempt > 100 {
                throw CLIError("cannot create \(candidate): \(FileIO.describeErrno())")
            }
            attempt += 1
        }
    }

    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileIO.writeAll(fd, bytes, name: temporaryPath)
    }

    /// Overwrites bytes at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        try FileIO.writeAll(fd, bytes, at: offset, name: temporaryPath)
    }

    /// Flushes the data to stable storage (call before ``commit()``).
    func sync() throws {
        guard fsync(fd) == 0 else { throw CLIError("cannot flush \(temporaryPath): \(FileIO.describeErrno())") }
    }

    /// Moves the file into place and makes the rename durable.
    func commit() throws {
        try sync()
        close(fd)
        finished = true
        guard rename(temporaryPath, path) == 0 else {
            let reason = FileIO.describeErrno()
            unlink(temporaryPath)
            throw CLIError("cannot create \(path): \(reason)")
        }
        Self.syncDirectory(of: path)
    }

    /// Removes the temporary file.
    func discard() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(temporaryPath)
    }

    deinit { discard() }

    /// `fsync` on the directory holding `path`, so a completed rename survives a crash.
    static func syncDirectory(of path: String) {
        let directory: String
        if let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
            directory = slash == path.utf8.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
