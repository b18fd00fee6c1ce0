public import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX I/O on file descriptors: `read(2)`/`write(2)` loops that retry `EINTR` and short transfers, with bytes
/// going straight between descriptors and the caller's buffers (guarded `SecureBytes` for secrets), never through
/// `String`, `Data` or Foundation buffers. Errors name what the caller called the descriptor.
public enum FileDescriptorIO {
    /// The text of an error number.
    ///
    /// - Parameter number: The error number (the current `errno` by default).
    /// - Returns: `strerror`'s text.
    public static func describe(errno number: Int32 = errno) -> String {
        String(cString: strerror(number))
    }

    /// Writes every byte of `bytes` to `fd`, retrying short writes and `EINTR`.
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - bytes: The bytes.
    ///   - name: What to call the descriptor in messages (its path).
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws(PlatformError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(fd, pointer, min(remaining, 1 << 30))
            if written < 0 {
                if errno == EINTR { continue }
                throw PlatformError.system("write", name)
            }
            pointer += written
            remaining -= written
        }
    }

    /// Writes every byte of `bytes` to `fd`, retrying short writes and `EINTR`.
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - bytes: The bytes.
    ///   - name: What to call the descriptor in messages (its path).
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], name: String) throws(PlatformError) {
        // `Array.withUnsafeBytes` rethrows untyped errors: carry the typed one out in a `Result`.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(PlatformError) in try writeAll(fd, raw, name: name) }
        }
        try result.get()
    }

    /// Writes `first` then `second` with one gathering `writev(2)` (retrying short writes and `EINTR`): two buffers
    /// become one contiguous, possibly page-aligned, write without copying them together.
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - first: The bytes written first.
    ///   - second: The bytes written after them.
    ///   - name: What to call the descriptor in messages.
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func writeAll(
        _ fd: Int32,
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        name: String
    ) throws(PlatformError) {
        var parts = [first, second].filter { $0.count > 0 }
        while !parts.isEmpty {
            var vectors = parts.map {
                iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count)
            }
            let written = writev(fd, &vectors, Int32(vectors.count))
            if written < 0 {
                if errno == EINTR { continue }
                throw PlatformError.system("write", name)
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

    /// Writes `bytes` at `offset` without moving the file position (for headers filled in after the payload).
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - bytes: The bytes.
    ///   - offset: Where in the file they go.
    ///   - name: What to call the descriptor in messages.
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func writeAll(
        _ fd: Int32,
        _ bytes: UnsafeRawBufferPointer,
        at offset: Int,
        name: String
    ) throws(PlatformError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        var position = offset
        while remaining > 0 {
            let written = pwrite(fd, pointer, remaining, off_t(position))
            if written < 0 {
                if errno == EINTR { continue }
                throw PlatformError.system("write", name)
            }
            pointer += written
            remaining -= written
            position += written
        }
    }

    /// Reads up to `buffer.count` bytes, retrying `EINTR`.
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - buffer: Where the bytes go.
    ///   - name: What to call the descriptor in messages.
    /// - Returns: How many bytes were read (0 at end of file).
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func readSome(
        _ fd: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        name: String
    ) throws(PlatformError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = posixRead(fd, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw PlatformError.system("read", name) }
        }
    }

    /// Fills `buffer` completely unless the file ends first.
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - buffer: Where the bytes go.
    ///   - name: What to call the descriptor in messages.
    /// - Returns: The number of bytes read.
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func readFully(
        _ fd: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        name: String
    ) throws(PlatformError) -> Int {
        var total = 0
        while total < buffer.count {
            let count = try readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]), name: name)
            if count == 0 { break }
            total += count
        }
        return total
    }

    /// Reads `count` bytes of an open file from `offset` on (fewer only at its end), without using or moving the
    /// descriptor's position.
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - offset: Where to start reading.
    ///   - count: How many bytes to read.
    ///   - name: What to call the descriptor in messages.
    /// - Returns: The bytes read, `count` of them unless the file ends first.
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func read(_ fd: Int32, at offset: Int64, count: Int, name: String) throws(PlatformError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress.map { $0 + filled }, raw.count - filled, off_t(offset) + off_t(filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw PlatformError.system("read", name)
            }
            if got == 0 { break }
            filled += got
        }
        if filled < count { buffer.removeLast(count - filled) }
        return buffer
    }

    /// Reads everything up to end of file into public memory, refusing more than `limit` bytes.
    ///
    /// - Parameters:
    ///   - fd: The descriptor; it is not closed.
    ///   - limit: The largest size accepted.
    ///   - name: What to call the descriptor in messages.
    /// - Returns: The bytes.
    /// - Throws: ``PlatformError/Code/ioFailure`` or ``PlatformError/Code/tooLarge``.
    public static func readAll(_ fd: Int32, limit: Int, name: String) throws(PlatformError) -> [UInt8] {
        let size = regularFileSize(fd)
        if let size, size > limit {
            throw PlatformError(.tooLarge, "\(name) is larger than \(limit) bytes")
        }
        // At most limit + 1 bytes are consumed: the one byte too many proves the input is too large, and the rest of
        // a pipe stays unread (a huge input is refused without filling memory).
        var output: [UInt8] = []
        // A regular file's bytes (and the probe for more) fit without the array growing: no copy of a large file.
        if let size { output.reserveCapacity(min(size, limit) + 1) }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while output.count <= limit {
            let wanted = min(chunk.count, limit + 1 - output.count)
            let result = chunk.withUnsafeMutableBytes { raw in
                Result { () throws(PlatformError) in
                    try readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<wanted]), name: name)
                }
            }
            let count = try result.get()
            if count == 0 { break }
            output.append(contentsOf: chunk[0..<count])
        }
        guard output.count <= limit else { throw PlatformError(.tooLarge, "\(name) is larger than \(limit) bytes") }
        return output
    }

    /// Reads everything up to end of file into guarded memory, refusing more than `limit` bytes.
    ///
    /// - Parameters:
    ///   - fd: The descriptor (e.g. 0 for standard input); it is not closed.
    ///   - limit: The largest size accepted.
    ///   - name: What to call the source in messages.
    /// - Returns: The bytes, in guarded memory.
    /// - Throws: ``PlatformError/Code/ioFailure`` or ``PlatformError/Code/tooLarge`` (more than `limit` bytes).
    public static func readSecret(_ fd: Int32, limit: Int, name: String) throws(PlatformError) -> SecureBytes {
        let buffer = SecureBytes(count: limit + 1)
        let total: Int = try buffer.withUnsafeMutableBytes { bytes throws(PlatformError) in
            try readFully(fd, into: bytes, name: name)
        }
        guard total <= limit else { throw PlatformError(.tooLarge, "\(name) is larger than \(limit) bytes") }
        return buffer.slice(0..<total)
    }

    /// Reads everything from `fd` into guarded memory of any size: exactly sized for regular files, grown by
    /// doubling for pipes (each outgrown buffer is wiped when released).
    ///
    /// - Parameters:
    ///   - fd: The descriptor; it is not closed.
    ///   - name: What to call the source in messages.
    /// - Returns: The bytes.
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public static func readAll(_ fd: Int32, name: String) throws(PlatformError) -> SecretBuffer {
        if let size = regularFileSize(fd) {
            let storage = SecureBytes(count: size)
            let count = try storage.withUnsafeMutableBytes { raw throws(PlatformError) in
                try readFully(fd, into: raw, name: name)
            }
            if count < size { return SecretBuffer(storage: storage, count: count) }
            // Probe for bytes appended since fstat; only then fall back to the growing path.
            let probe = SecureBytes(count: 1)
            let extra = try probe.withUnsafeMutableBytes { raw throws(PlatformError) in
                try readSome(fd, into: raw, name: name)
            }
            var buffer = SecretBuffer(storage: storage, count: count)
            if extra > 0 {
                buffer.append(probe)
                try buffer.appendRest(of: fd, name: name)
            }
            return buffer
        }
        var buffer = SecretBuffer(storage: SecureBytes(count: 1 << 16), count: 0)
        try buffer.appendRest(of: fd, name: name)
        return buffer
    }

    /// Opens `path` for reading (`O_CLOEXEC`).
    ///
    /// - Parameter path: The file.
    /// - Returns: The descriptor; the caller closes it.
    /// - Throws: ``PlatformError/Code/notFound`` or ``PlatformError/Code/ioFailure``.
    public static func openForReading(_ path: String) throws(PlatformError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PlatformError.system("open", path) }
        return fd
    }

    /// The size of a regular file.
    ///
    /// - Parameter fd: The descriptor.
    /// - Returns: Its size, or `nil` for pipes, terminals and the like.
    public static func regularFileSize(_ fd: Int32) -> Int? {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// A cheap fingerprint of a file's current version: two equal stamps mean the file was not replaced, resized or
    /// written in between.
    ///
    /// - Parameter fd: The descriptor.
    /// - Returns: The stamp, or `nil` if `fstat` fails.
    public static func stamp(_ fd: Int32) -> FileStamp? {
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
}

/// A file's identity and version as `fstat` reports it (see ``FileDescriptorIO/stamp(_:)``).
public struct FileStamp: Hashable, Sendable {
    /// The device.
    public let device: UInt64
    /// The inode.
    public let inode: UInt64
    /// The size in bytes.
    public let size: Int64
    /// Modification time in nanoseconds since the epoch.
    public let modified: Int64
    /// Status-change time in nanoseconds since the epoch.
    public let changed: Int64
}

/// `read(2)`, reachable from inside `FileDescriptorIO` (whose own `read` would shadow it).
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
