#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sodium

/// Plain POSIX I/O for secrets: bytes go straight between file descriptors and `SecureBytes`, with `read(2)`
/// and `write(2)` loops, never through `String`, `Data` or Foundation buffers.
enum FileIO {
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

    /// Opens `path` for reading.
    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError("cannot open \(path): \(describeErrno())") }
        return fd
    }

    /// Reads everything from `fd` into guarded memory: exactly sized for regular files, grown by doubling for
    /// pipes (each outgrown buffer is wiped when released).
    static func readAll(_ fd: Int32, name: String) throws -> SecretBuffer {
        if let size = regularFileSize(fd) {
            let storage = SecureBytes(count: size)
            let count = try storage.withUnsafeMutableBytes { try readFully(fd, into: $0, name: name) }
            if count < size { return SecretBuffer(storage: storage, count: count) }
            // Probe for bytes appended since fstat; only then fall back to the growing path.
            let probe = SecureBytes(count: 1)
            let extra = try probe.withUnsafeMutableBytes { try readSome(fd, into: $0, name: name) }
            var buffer = SecretBuffer(storage: storage, count: count)
            if extra > 0 {
                try buffer.append(probe)
                try buffer.appendRest(of: fd, name: name)
            }
            return buffer
        }
        var buffer = SecretBuffer(storage: SecureBytes(count: 1 << 16), count: 0)
        try buffer.appendRest(of: fd, name: name)
        return buffer
    }

    /// Reads a whole file into guarded memory.
    static func readAll(path: String) throws -> SecretBuffer {
        let fd = try openForReading(path)
        defer { close(fd) }
        return try readAll(fd, name: path)
    }
}

/// Secret bytes read from input: guarded storage with a used prefix.
struct SecretBuffer {
    private(set) var storage: SecureBytes
    private(set) var count: Int

    init(storage: SecureBytes, count: Int) {
        self.storage = storage
        self.count = count
    }

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

    /// Grows the guarded storage (by doubling) to hold at least `capacity` bytes.
    private mutating func reserve(_ capacity: Int) throws {
        while storage.count < capacity {
            let bigger = SecureBytes(count: max(2 * storage.count, 1 << 16))
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

    /// Reads until end of file, doubling the guarded storage when it fills up.
    mutating func appendRest(of fd: Int32, name: String) throws {
        while true {
            try reserve(count + 1)
            let used = count
            let read = try storage.withUnsafeMutableBytes {
                try FileIO.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[used...]), name: name)
            }
            if read == 0 { return }
            count += read
        }
    }
}
