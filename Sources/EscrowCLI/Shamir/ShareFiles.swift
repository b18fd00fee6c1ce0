import Dispatch
import Escrow
import Platform
import Shamir
import Sodium
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Binary share files (`STEM.1` … `STEM.N`, layout in `ShareFile`), streamed in chunks: memory stays at one chunk
/// of secret plus one chunk per share however large the secret is, and the secret never exists as text.
enum ShareFiles {
    /// Bytes of secret processed per step (the share rows of a step, N times this, stay in the L2/L3 cache).
    static let chunkSize = 1 << 18
    /// Buffers in flight between the computing thread and the background writer.
    static let slotCount = 3

    /// Reads the secret from `fd` chunk by chunk and splits it into N files.
    ///
    /// The calling thread reads, splits and checksums chunk after chunk; a ``BackgroundWriter`` writes each chunk's
    /// share rows to the files meanwhile (the page-cache copies of N times the secret are the largest cost). Each file is written under a temporary name and renamed into
    /// place only once every file is complete, so no partial share file ever appears under its final name. With
    /// `sync`, every file is flushed to stable storage (`fsync`) before the renames and the directory after them;
    /// without it, the files are as durable as those of `cp` or `gfsplit` (a power loss right after may leave them
    /// short, which their checksum then reports).
    static func split(
        from fd: Int32,
        name: String,
        threshold: Int,
        shareCount: Int,
        stem: String,
        sync: Bool
    ) throws {
        let slots = (0..<slotCount).map { _ in
            (secret: SecureBytes(count: chunkSize), rows: SecureBytes(count: shareCount * chunkSize))
        }
        var n = try slots[0].secret.withUnsafeMutableBytes { try FileDescriptorIO.readFully(fd, into: $0, name: name) }
        guard n > 0 else {
            throw CLIError("the secret is empty: nothing to split (give the bytes on stdin or with --in)")
        }
        let xs = (1...shareCount).map { UInt8($0) }
        let splitID = NativeFormat.randomSplitID()
        let shares = try xs.map { try NativeShare(splitID: splitID, threshold: threshold, x: $0) }
        let fileList = try xs.map { try AtomicFile(path: "\(stem).\($0)") }
        let files = WriterOnly(value: fileList)
        if let size = FileDescriptorIO.regularFileSize(fd) {
            // Reserve the space up front when the size is known: cheaper page-cache writes, early ENOSPC.
            for file in fileList { file.reserve(byteCount: ShareFile.headerCount + size) }
        }
        // Each file's last `headerCount` bytes not yet written, starting with the header's placeholder: every write is
        // then that carry and the next row minus its last `headerCount` bytes, so writes are whole, aligned chunks
        // of the file (the page cache handles them markedly cheaper than writes straddling pages).
        let carries = WriterOnly(value: SecureBytes(count: shareCount * 2 * ShareFile.headerCount))

        // The payload checksums start from zero; the header (which records the final length) is prepended at the end.
        var checksums = [FileChecksum](repeating: FileChecksum(), count: shareCount)
        let writer = BackgroundWriter(slotCount: slotCount)
        var rng = StreamRandom()
        var length = 0
        var slot = 0
        do {
            writer.acquireSlot()
            while n > 0 && !writer.hasFailed {
                let (secret, rows) = slots[slot]
                try secret.withUnsafeBytes { secretBytes in
                    try rows.withUnsafeMutableBytes { rowBytes in
                        let part = UnsafeRawBufferPointer(rebasing: secretBytes[0..<n])
                        let out = UnsafeMutableRawBufferPointer(rebasing: rowBytes[0..<(shareCount * n)])
                        try Shamir.split(part, threshold: threshold, xs: xs, into: out, using: &rng)
                        for i in 0..<shareCount {
                            checksums[i].update(UnsafeRawBufferPointer(rebasing: out[(i * n)..<((i + 1) * n)]))
                        }
                    }
                }
                let count = n
                writer.submit {
                    try rows.withUnsafeBytes { rowBytes in
                        for i in 0..<shareCount {
                            let row = UnsafeRawBufferPointer(rebasing: rowBytes[(i * count)..<((i + 1) * count)])
                            try writeCarrying(row, to: files.value[i], carry: carries.value, index: i)
                        }
                    }
                }
                length += n
                slot = (slot + 1) % slotCount
                writer.acquireSlot()
                n = try slots[slot].secret.withUnsafeMutableBytes {
                    try FileDescriptorIO.readFully(fd, into: $0, name: name)
                }
            }
        } catch {
            // Let the writer finish with the buffers and files before they are released (the temporary files are
            // then removed); the first error is the one to report.
            writer.releaseSlot()
            try? writer.finish()
            throw error
        }
        writer.releaseSlot()
        try writer.finish()
        try carries.value.withUnsafeBytes { carry in
            for i in 0..<shareCount {
                let start = i * 2 * ShareFile.headerCount
                try fileList[i].write(UnsafeRawBufferPointer(rebasing: carry[start..<(start + ShareFile.headerCount)]))
            }
        }

        var header = [UInt8](repeating: 0, count: ShareFile.headerCount)
        for i in 0..<shareCount {
            let checksum = ShareFile.startChecksum(for: shares[i], payloadCount: length)
                .followed(by: checksums[i])
            header.withUnsafeMutableBytes {
                ShareFile.encodeHeader(shares[i], payloadCount: length, checksum: checksum, into: $0)
            }
            try header.withUnsafeBytes { try fileList[i].write($0, at: 0) }
            try fileList[i].setLength(ShareFile.headerCount + length)
        }
        if sync {
            for file in fileList { try file.sync() }
        }
        for file in fileList { try file.commit(durably: sync) }
    }

    /// Appends `row` to file `index`, holding back its last `headerCount` bytes (see the split): writes the carried
    /// bytes and all but the last `headerCount` bytes of `row`, then carries those. `carry` holds, per file, the
    /// carried bytes and a second area for rows shorter than the carry.
    private static func writeCarrying(
        _ row: UnsafeRawBufferPointer,
        to file: AtomicFile,
        carry: SecureBytes,
        index: Int
    ) throws {
        let held = ShareFile.headerCount
        try carry.withUnsafeMutableBytes { area in
            let start = index * 2 * held
            let carried = UnsafeMutableRawBufferPointer(rebasing: area[start..<(start + held)])
            if row.count >= held {
                let body = UnsafeRawBufferPointer(rebasing: row[0..<(row.count - held)])
                try file.write(UnsafeRawBufferPointer(carried), body)
                carried.copyMemory(from: UnsafeRawBufferPointer(rebasing: row[(row.count - held)...]))
            } else {
                // A short last row: carried + row, write the first row.count bytes, carry the rest.
                let joined = UnsafeMutableRawBufferPointer(rebasing: area[start..<(start + held + row.count)])
                UnsafeMutableRawBufferPointer(rebasing: joined[held...]).copyMemory(from: row)
                try file.write(UnsafeRawBufferPointer(rebasing: joined[0..<row.count]))
                UnsafeMutableRawBufferPointer(rebasing: area[start..<(start + held)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: joined[row.count...]))
            }
        }
    }

    /// Hands values that are not `Sendable` to the background writer. The split's files are used by the writer's
    /// thread only until ``BackgroundWriter/finish()`` returns, which orders those uses before the caller's.
    private struct WriterOnly<Value>: @unchecked Sendable {
        let value: Value
    }

    /// Checks every file completely before anything is written, then combines the first K.
    ///
    /// Pass 1 parses every header, checks the set (same split, distinct x, enough shares, equal lengths) and verifies
    /// every file's checksum over its whole payload (files in parallel, read through memory mappings). Pass 2 combines
    /// the first K files again, chunk by chunk (from the page cache), while a ``BackgroundWriter`` writes each chunk
    /// out. A file whose status (inode, size, times) changes after it was opened is reported as an error: before
    /// pass 2 nothing has been written; after it, the message says to discard the output.
    static func combine(_ paths: [String], hex: Bool) throws {
        var descriptors = [Int32]()
        defer { for fd in descriptors { close(fd) } }
        var headers = [ShareFile.Header]()
        var stamps = [FileStamp?]()
        for path in paths {
            let fd = try FileDescriptorIO.openForReading(path)
            descriptors.append(fd)
            guard let size = FileDescriptorIO.regularFileSize(fd) else { throw CLIError("\(path): not a regular file") }
            stamps.append(FileDescriptorIO.stamp(fd))
            var bytes = [UInt8](repeating: 0, count: ShareFile.headerCount)
            let read = try bytes.withUnsafeMutableBytes { try FileDescriptorIO.readFully(fd, into: $0, name: path) }
            headers.append(
                try bytes.withUnsafeBytes {
                    try ShareFile.parseHeader(
                        UnsafeRawBufferPointer(rebasing: $0[0..<read]),
                        fileSize: size,
                        label: path
                    )
                }
            )
        }
        try NativeShare.checkSet(headers.map(\.share), payloadCounts: headers.map(\.payloadCount), labels: paths)
        let k = headers[0].share.threshold
        let length = headers[0].payloadCount
        let xs = headers.prefix(k).map(\.share.x)
        let start = ShareFile.headerCount
        let maps = try paths.indices.map { try MappedFile(fd: descriptors[$0], size: start + length, name: paths[$0]) }
        func firstChanged() -> String? {
            paths.indices.first { FileDescriptorIO.stamp(descriptors[$0]) != stamps[$0] }.map { paths[$0] }
        }

        // Pass 1: every checksum, before a single byte is written.
        let verified = Mutex([Bool](repeating: false, count: paths.count))
        let parsed = headers
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            var checksum = ShareFile.startChecksum(for: parsed[i].share, payloadCount: length)
            var offset = start
            while offset < start + length {
                let end = min(offset + chunkSize, start + length)
                checksum.update(UnsafeRawBufferPointer(rebasing: maps[i].bytes[offset..<end]))
                maps[i].release(offset..<end)
                offset = end
            }
            let valid = checksum.bytes == parsed[i].checksum
            verified.withLock { $0[i] = valid }
        }
        for i in paths.indices where !verified.withLock({ $0[i] }) {
            throw ShamirError(.checksumMismatch, "\(paths[i]): the share file is damaged (its checksum does not match)")
        }
        if let changed = firstChanged() {
            throw CLIError("\(changed) changed while it was being read; nothing was written, try again")
        }

        // Pass 2: combine chunk by chunk into guarded buffers; the background writer outputs them.
        let chunk = min(chunkSize, length)
        let slots = (0..<slotCount).map { _ in SecureBytes(count: chunk) }
        let rowMaps = Array(maps.prefix(k))
        let writer = BackgroundWriter(slotCount: slotCount)
        var offset = start
        var slot = 0
        while offset < start + length && !writer.hasFailed {
            let end = min(offset + chunk, start + length)
            writer.acquireSlot()
            let secret = slots[slot]
            let rows = rowMaps.map { UnsafeRawBufferPointer(rebasing: $0.bytes[offset..<end]) }
            try secret.withUnsafeMutableBytes { secretBytes in
                let out = UnsafeMutableRawBufferPointer(rebasing: secretBytes[0..<(end - offset)])
                try Shamir.combine(xs: xs, rows: rows, into: out)
            }
            writer.submit { [offset] in
                for map in rowMaps { map.release(offset..<end) }
                try secret.withUnsafeBytes { secretBytes in
                    try SecretOutput.writePiece(
                        UnsafeRawBufferPointer(rebasing: secretBytes[0..<(end - offset)]),
                        hex: hex,
                        to: 1,
                        name: "standard output"
                    )
                }
            }
            offset = end
            slot = (slot + 1) % slotCount
        }
        try writer.finish()
        if let changed = firstChanged() {
            throw CLIError("\(changed) changed while it was being read: the secret written is wrong, discard it")
        }
        if hex { try SecretOutput.writeNewline(to: 1, name: "standard output") }
    }
}
