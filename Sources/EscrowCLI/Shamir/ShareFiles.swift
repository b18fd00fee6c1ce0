#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Escrow
import Shamir
import Sodium

/// Binary share files (`STEM.1` … `STEM.N`, layout in `ShareFile`), streamed in chunks: memory stays at one chunk
/// of secret plus one chunk per share however large the secret is, and the secret never exists as text.
enum ShareFiles {
    /// Bytes of secret processed per step.
    static let chunkSize = 1 << 20

    /// Reads the secret from `fd` chunk by chunk and splits it into N files.
    ///
    /// Each file is written under a temporary name and renamed into place only once every file is complete, so no
    /// partial share file ever appears under its final name. With `sync`, every file is flushed to stable storage
    /// (`fsync`) before the renames and the directory after them; without it, the files are as durable as those of
    /// `cp` or `gfsplit` (a power loss right after may leave them short, which their checksum then reports).
    static func split(
        from fd: Int32,
        name: String,
        threshold: Int,
        shareCount: Int,
        stem: String,
        sync: Bool
    ) throws {
        let secret = SecureBytes(count: chunkSize)
        var n = try secret.withUnsafeMutableBytes { try FileIO.readFully(fd, into: $0, name: name) }
        guard n > 0 else {
            throw CLIError("the secret is empty: nothing to split (give the bytes on stdin or with --in)")
        }
        let xs = (1...shareCount).map { UInt8($0) }
        let splitID = NativeFormat.randomSplitID()
        let shares = try xs.map { try NativeShare(splitID: splitID, threshold: threshold, x: $0) }
        let files = try xs.map { try AtomicFile(path: "\(stem).\($0)") }
        let placeholder = [UInt8](repeating: 0, count: ShareFile.headerCount)
        for file in files { try placeholder.withUnsafeBytes { try file.write($0) } }

        // The payload checksums start from zero; the header (which records the final length) is prepended at the end.
        var payloadChecksums = [FileChecksum](repeating: FileChecksum(), count: shareCount)
        let rowCount = n  // the first read is the largest: only the last chunk can be shorter
        let rows = SecureBytes(count: shareCount * rowCount)
        var rng = StreamRandom()
        var length = 0
        try rows.withUnsafeMutableBytes { rowBytes in
            try secret.withUnsafeMutableBytes { secretBytes in
                while n > 0 {
                    let part = UnsafeRawBufferPointer(rebasing: secretBytes[0..<n])
                    let out = UnsafeMutableRawBufferPointer(rebasing: rowBytes[0..<(shareCount * n)])
                    try Shamir.split(part, threshold: threshold, xs: xs, into: out, using: &rng)
                    for i in 0..<shareCount {
                        let row = UnsafeRawBufferPointer(rebasing: rowBytes[(i * n)..<((i + 1) * n)])
                        payloadChecksums[i].update(row)
                        try files[i].write(row)
                    }
                    length += n
                    n = try FileIO.readFully(
                        fd,
                        into: UnsafeMutableRawBufferPointer(rebasing: secretBytes[0..<rowCount]),
                        name: name
                    )
                }
            }
        }
        var header = [UInt8](repeating: 0, count: ShareFile.headerCount)
        for i in 0..<shareCount {
            let checksum = ShareFile.startChecksum(for: shares[i], payloadCount: length)
                .followed(by: payloadChecksums[i])
            header.withUnsafeMutableBytes {
                ShareFile.encodeHeader(shares[i], payloadCount: length, checksum: checksum, into: $0)
            }
            try header.withUnsafeBytes { try files[i].write($0, at: 0) }
        }
        if sync {
            for file in files { try file.sync() }
        }
        for file in files { try file.commit(durably: sync) }
    }

    /// Checks every file completely before anything is written, then combines the first K.
    ///
    /// Pass 1 parses every header, checks the set (same split, distinct x, enough shares, equal lengths) and verifies
    /// every file's checksum over its whole payload. Pass 2 reads the first K files again (from the page cache) and
    /// streams the secret out chunk by chunk, re-checking their checksums: a file changed between the passes is
    /// reported as an error (the output is then incomplete).
    static func combine(_ paths: [String], hex: Bool) throws {
        var descriptors = [Int32]()
        defer { for fd in descriptors { close(fd) } }
        var headers = [ShareFile.Header]()
        var maps = [MappedFile]()
        for path in paths {
            let fd = try FileIO.openForReading(path)
            descriptors.append(fd)
            guard let size = FileIO.regularFileSize(fd) else { throw CLIError("\(path): not a regular file") }
            var bytes = [UInt8](repeating: 0, count: ShareFile.headerCount)
            let read = try bytes.withUnsafeMutableBytes { try FileIO.readFully(fd, into: $0, name: path) }
            headers.append(
                try bytes.withUnsafeBytes {
                    try ShareFile.parseHeader(UnsafeRawBufferPointer(rebasing: $0[0..<read]), fileSize: size, label: path)
                }
            )
        }
        try NativeShare.checkSet(headers.map(\.share), payloadCounts: headers.map(\.payloadCount), labels: paths)
        let k = headers[0].share.threshold
        let length = headers[0].payloadCount
        let xs = headers.prefix(k).map(\.share.x)
        let start = ShareFile.headerCount

        // Pass 1: every checksum, window by window, before a single byte is written.
        for (i, path) in paths.enumerated() {
            let map = try MappedFile(fd: descriptors[i], size: start + length, name: path)
            var checksum = ShareFile.startChecksum(for: headers[i].share, payloadCount: length)
            var offset = start
            while offset < start + length {
                let end = min(offset + chunkSize, start + length)
                checksum.update(UnsafeRawBufferPointer(rebasing: map.bytes[offset..<end]))
                map.release(offset..<end)
                offset = end
            }
            try ShareFile.verify(checksum, against: headers[i], label: path)
            if i < k { maps.append(map) }
        }

        // Pass 2: combine chunk by chunk into one guarded buffer and write it out.
        var checksums = headers.prefix(k).map { ShareFile.startChecksum(for: $0.share, payloadCount: length) }
        let chunk = min(chunkSize, length)
        let secret = SecureBytes(count: chunk)
        try secret.withUnsafeMutableBytes { secretBytes in
            var offset = start
            while offset < start + length {
                let end = min(offset + chunk, start + length)
                let rows = maps.map { UnsafeRawBufferPointer(rebasing: $0.bytes[offset..<end]) }
                for i in 0..<k { checksums[i].update(rows[i]) }
                let out = UnsafeMutableRawBufferPointer(rebasing: secretBytes[0..<(end - offset)])
                try Shamir.combine(xs: xs, rows: rows, into: out)
                for map in maps { map.release(offset..<end) }
                try SecretOutput.writePiece(UnsafeRawBufferPointer(out), hex: hex, to: 1, name: "standard output")
                offset = end
            }
        }
        for i in 0..<k where checksums[i].bytes != headers[i].checksum {
            throw CLIError("\(paths[i]) changed while it was being read: the secret written is wrong, discard it")
        }
        if hex { try SecretOutput.writeNewline(to: 1, name: "standard output") }
    }
}
