import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX I/O for secrets: bytes go straight between file descriptors and `SecureBytes`, with `read(2)`
/// and `write(2)` loops, never through `String`, `Data` or Foundation buffers.
enum FileIO {
    /// The largest secret `escrow shamir split` reads from standard input or `--in` (1 GiB).
    static let maximumSecretSize = 1 << 30
    /// The largest share text `escrow shamir combine` reads (4 GiB: a few hex shares of the largest secret).
    static let maximumShareText = 1 << 32

    /// The text of `errno` for messages.
    static func describeErrno(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Writes every byte of `bytes` to `fd`, retrying short writes and `EINTR`.
    ///
    /// - Throws: ``CLIError`` naming `name` if a write fails.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(fd, pointer, min(remaining, 1 << 30))
            if written < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot write \(name): \(describeErrno())")
            }
            pointer += written
            remaining -= written
        }
    }

    /// Writes `first` then `second` with one gathering `writev(2)` (retrying short writes and `EINTR`): two buffers
    /// become one contiguous, possibly page-aligned, write without copying them together.
    ///
    /// - Throws: ``CLIError`` naming `name` if a write fails.
    static func writeAll(
        _ fd: Int32,
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        name: String
    ) throws {
        var parts = [first, second].filter { $0.count > 0 }
        while !parts.isEmpty {
            var vectors = parts.map {
                iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count)
            }
            let written = writev(fd, &vectors, Int32(vectors.count))
            if written < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot write \(name): \(describeErrno())")
            }
            // Drop what was written: whole parts first, then the start of the next one.
            var done = written
            while let part = parts.first, done >= part.count {
                done -= part.count
                parts.removeFirst()
            }
            if done > 0, let part = parts.first {
                parts[0] = UnsafeRawBufferPointer(rebasing: part[done...])
            }
        }
    }

    /// Writes `bytes` at `offset` (for headers filled in after the payload).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, name: String) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        var position = offset
        while remaining > 0 {
            let written = pwrite(fd, pointer, remaining, off_t(position))
            if written < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot write \(name): \(describeErrno())")
            }
            pointer += written
            remaining -= written
            position += written
        }
    }

    /// Reads up to `buffer.count` bytes, retrying `EINTR`; returns how many were read (0 at end of file).
    static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, name: String) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = read(fd, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw CLIError("cannot read \(name): \(describeErrno())") }
        }
    }

    /// Fills `buffer` completely unless the file ends first; returns the number of bytes read.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, name: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let count = try readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]), name: name)
            if count == 0 { break }
            total += count
        }
        return total
    }

    /// The size of a regular file, or nil for pipes, terminals and the like.
    static func regularFileSize(_ fd: Int32) -> Int? {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// A cheap fingerprint of a file's current version (device, inode, size, modification and status-change times),
    /// or nil if `fstat` fails: two equal stamps mean the file was not replaced, resized or written in between.
    static func stamp(_ fd: Int32) -> FileStamp? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let modified = info.st_mtimespec
            let changed = info.st_ctimespec
        #else
            let modified = info.st_mtim
            let changed = info.st_ctim
        #endif
        return FileStamp(
            device: UInt64(truncatingIfNeeded: info.st_dev),
            inode: UInt64(truncatingIfNeeded: info.st_ino),
            size: Int64(info.st_size),
            modified: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec),
            changed: Int64(changed.tv_sec) * 1_000_000_000 + Int64(changed.tv_nsec)
        )
    }

    /// Opens `path` for reading.
    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError("cannot open \(path): \(describeErrno())") }
        return fd
    }

    /// Reads everything from `fd` into guarded memory, refusing more than `limit` bytes: a regular file larger than
    /// `limit` is refused before any byte is read; from a pipe at most `limit + 1` bytes are consumed (the one byte
    /// too many proves the input is too large), so an endless or huge input never fills memory. The buffer is sized
    /// exactly for regular files and grown by doubling, up to `limit + 1`, for pipes (each outgrown buffer is wiped
    /// when released).
    ///
    /// - Parameters:
    ///   - fd: The descriptor; it is not closed.
    ///   - name: What to call the source in messages.
    ///   - limit: The largest number of bytes accepted.
    ///   - tooLarge: The refusal message (default: `NAME is larger than LIMIT bytes`).
    /// - Returns: The bytes read, at most `limit` of them.
    /// - Throws: ``CLIError`` if reading fails or the input is larger than `limit`.
    static func readAll(_ fd: Int32, name: String, limit: Int, tooLarge: String? = nil) throws -> SecretBuffer {
        precondition(limit >= 0 && limit < Int.max, "FileIO.readAll needs a finite limit")
        let refusal = CLIError(tooLarge ?? "\(name) is larger than \(limit) bytes")
        if let size = regularFileSize(fd) {
            guard size <= limit else { throw refusal }
            let storage = SecureBytes(count: size)
            let count = try storage.withUnsafeMutableBytes { try readFully(fd, into: $0, name: name) }
            if count < size { return SecretBuffer(storage: storage, count: count) }
            // Probe for bytes appended since fstat; only then fall back to the growing path.
            let probe = SecureBytes(count: 1)
            let extra = try probe.withUnsafeMutableBytes { try readSome(fd, into: $0, name: name) }
            var buffer = SecretBuffer(storage: storage, count: count)
            if extra > 0 {
                try buffer.append(probe)
                try buffer.appendRest(of: fd, name: name, upTo: limit + 1)
            }
            guard buffer.count <= limit else { throw refusal }
            return buffer
        }
        var buffer = SecretBuffer(storage: SecureBytes(count: min(1 << 16, limit + 1)), count: 0)
        try buffer.appendRest(of: fd, name: name, upTo: limit + 1)
        guard buffer.count <= limit else { throw refusal }
        return buffer
    }

    /// Reads a whole file into guarded memory, refusing more than `limit` bytes (see
    /// ``readAll(_:name:limit:tooLarge:)``).
    static func readAll(path: String, limit: Int, tooLarge: String? = nil) throws -> SecretBuffer {
        let fd = try openForReading(path)
        defer { close(fd) }
        return try readAll(fd, name: path, limit: limit, tooLarge: tooLarge)
    }
}

/// See ``FileIO/stamp(_:)``.
struct FileStamp: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    /// Modification time in nanoseconds since the epoch.
    let modified: Int64
    /// Status-change time in nanoseconds since the epoch.
    let changed: Int64
}

/// Secret bytes read from input: guarded storage with a used prefix.
struct SecretBuffer {
    private(set) var storage: SecureBytes
    private(set) var count: Int

    /// Calls `body` with the used bytes.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Appends the bytes of `other`.
    mutating func append(_ other: SecureBytes) throws {
        try reserve(count + other.count)
        let used = count
        other.withUnsafeBytes { source in
            storage.withUnsafeMutableBytes { target in
                UnsafeMutableRawBufferPointer(rebasing: target[used..<(used + source.count)]).copyMemory(from: source)
            }
        }
        count += other.count
    }

    /// Grows the guarded storage (by doubling, never beyond `ceiling`) to hold at least `capacity` bytes.
    private mutating func reserve(_ capacity: Int, ceiling: Int = .max) throws {
        while storage.count < capacity {
            let bigger = SecureBytes(count: max(capacity, min(max(2 * storage.count, 1 << 16), ceiling)))
            storage.withUnsafeBytes { old in
                bigger.withUnsafeMutableBytes { new in
                    if let source = old.baseAddress, let target = new.baseAddress, old.count > 0 {
                        target.copyMemory(from: source, byteCount: old.count)
                    }
                }
            }
            storage = bigger  // the old buffer is wiped and freed on release
        }
    }

    /// Reads until end of file or until `maximum` bytes are held, doubling the guarded storage when it fills up;
    /// never asks `read(2)` for a byte beyond `maximum`, so the rest of a pipe stays unread.
    mutating func appendRest(of fd: Int32, name: String, upTo maximum: Int) throws {
        while count < maximum {
            try reserve(count + 1, ceiling: maximum)
            let used = count
            let end = min(storage.count, maximum)
            let read = try storage.withUnsafeMutableBytes {
                try FileIO.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[used..<end]), name: name)
            }
            if read == 0 { return }
            count += read
        }
    }
}
