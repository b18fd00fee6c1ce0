#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The audit log file: append-only JSON lines (see ``AuditRecord``).
///
/// Appends are one `write` of the whole line with `O_APPEND`, followed by `fsync`: that `fsync` is the commit point
/// of every store change. A crash can therefore leave at most a torn last line, which store recovery removes.
public struct AuditLog: Sendable {
    /// The log's path.
    public let path: String

    /// The log at `path`.
    ///
    /// - Parameter path: The file.
    public init(path: String) { self.path = path }

    /// The end of the log, read without scanning the whole file.
    public struct Tail: Sendable {
        /// The file's size in bytes.
        public var size: Int64
        /// The offset just after the last newline (`0` if there is none): where a torn line starts.
        public var completeSize: Int64
        /// The last complete line (without its newline), or `nil` for an empty log.
        public var lastLine: [UInt8]?
        /// The offset where ``lastLine`` starts.
        public var lastLineOffset: Int64
    }

    /// Reads the end of the log: the last complete line and whether a torn line follows it.
    ///
    /// - Returns: The tail.
    /// - Throws: ``EscrowError/Code/notFound`` or ``EscrowError/Code/ioFailure``.
    /// - Complexity: Proportional to the length of the last two lines, not to the log.
    public func tail() throws(EscrowError) -> Tail {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.failure("open", path) }
        defer { close(fd) }
        let size = Int64(lseek(fd, 0, SEEK_END))
        guard size >= 0 else { throw FileSystem.failure("seek in", path) }
        var chunkSize: Int64 = 4096
        while true {
            let start = max(0, size - chunkSize)
            let buffer = try FileSystem.read(fd: fd, at: start, count: Int(size - start), path: path)
            // Find the last newline (end of the last complete line) and the newline before it.
            guard let lastNewline = buffer.lastIndex(of: UInt8(ascii: "\n")) else {
                if start == 0 { return Tail(size: size, completeSize: 0, lastLine: nil, lastLineOffset: 0) }
                chunkSize *= 4
                continue
            }
            let beforeLine = buffer[..<lastNewline].lastIndex(of: UInt8(ascii: "\n"))
            if beforeLine == nil, start > 0 {
                chunkSize *= 4
                continue
            }
            let lineStart = beforeLine.map { $0 + 1 } ?? 0
            return Tail(
                size: size,
                completeSize: start + Int64(lastNewline) + 1,
                lastLine: Array(buffer[lineStart..<lastNewline]),
                lastLineOffset: start + Int64(lineStart)
            )
        }
    }

    /// Every line of the log, with a flag telling whether the file ends with a newline.
    ///
    /// - Returns: The lines (without newlines) and whether the last one was terminated.
    /// - Throws: ``EscrowError/Code/notFound`` or ``EscrowError/Code/ioFailure``.
    public func lines() throws(EscrowError) -> (lines: [[UInt8]], terminated: Bool) {
        let bytes = try FileSystem.read(path, limit: Int.max)
        guard !bytes.isEmpty else { return ([], true) }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Array($0) }
        let terminated = bytes.last == UInt8(ascii: "\n")
        if terminated { lines.removeLast() }
        return (lines, terminated)
    }

    /// Appends one line and flushes it to stable storage (see ``append(lines:tornAfter:)``).
    ///
    /// - Parameters:
    ///   - line: The line without its newline.
    ///   - tornAfter: Test hook: write only this many bytes and stop, as a crash would.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    func append(_ line: [UInt8], tornAfter: Int? = nil) throws(EscrowError) {
        try append(lines: [line], tornAfter: tornAfter)
    }

    /// Appends lines with ONE `write` and ONE `fsync` (a batch of records commits together). If the write fails, the
    /// file is cut back to its old size.
    ///
    /// - Parameters:
    ///   - lines: The lines without their newlines.
    ///   - tornAfter: Test hook: write only this many bytes of the whole append and stop, as a crash would.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    func append(lines: [[UInt8]], tornAfter: Int? = nil) throws(EscrowError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.failure("open", path) }
        defer { close(fd) }
        let oldSize = lseek(fd, 0, SEEK_END)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            bytes += line
            bytes.append(UInt8(ascii: "\n"))
        }
        if let tornAfter {
            try DurableFile.writeAll(Array(bytes.prefix(tornAfter)), to: fd, path: path)
            _ = fsync(fd)
            throw EscrowError(.simulatedCrash, "simulated crash while appending to \(path)")
        }
        do throws(EscrowError) {
            try DurableFile.writeAll(bytes, to: fd, path: path)
            guard fsync(fd) == 0 else { throw FileSystem.failure("flush", path) }
        } catch {
            if oldSize >= 0 {
                _ = ftruncate(fd, oldSize)
                _ = fsync(fd)
            }
            throw error
        }
    }

    /// Visits the complete lines of the log from the last one backwards, reading the file in chunks from its end,
    /// until `visit` returns `false` or the start of the file is reached.
    ///
    /// - Parameters:
    ///   - end: Where the complete lines end (``Tail/completeSize``).
    ///   - visit: Receives each line (without its newline) and the offset where it starts; returns whether to go on.
    /// - Throws: ``EscrowError/Code/ioFailure``, or what `visit` throws.
    /// - Complexity: Proportional to the bytes visited, not to the log.
    func visitLinesBackwards(
        endingAt end: Int64,
        _ visit: (_ line: [UInt8], _ offset: Int64) throws(EscrowError) -> Bool
    ) throws(EscrowError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.failure("open", path) }
        defer { close(fd) }
        let chunkSize: Int64 = 1 << 16
        // `pending` holds the bytes of the (partial) line being assembled, which starts at `position`.
        var pending: [UInt8] = []
        // Skip the newline that ends the last complete line.
        var position = max(0, end - 1)
        while position > 0 {
            let start = max(0, position - chunkSize)
            let buffer = try FileSystem.read(fd: fd, at: start, count: Int(position - start), path: path)
            var index = buffer.count
            while let newline = buffer[..<index].lastIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[(newline + 1)..<index]) + pending
                pending = []
                guard try visit(line, start + Int64(newline) + 1) else { return }
                index = newline
            }
            pending = Array(buffer[..<index]) + pending
            position = start
        }
        if end > 0 { _ = try visit(pending, 0) }
    }

    /// Cuts the log back to `size` bytes (recovery of a torn last line) and flushes.
    ///
    /// - Parameter size: The new size.
    /// - Throws: ``EscrowError/Code/ioFailure``.
    func truncate(to size: Int64) throws(EscrowError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.failure("open", path) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0, fsync(fd) == 0 else { throw FileSystem.failure("truncate", path) }
    }
}
