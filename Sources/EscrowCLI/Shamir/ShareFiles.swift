#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Escrow
import Shamir
import Sodium

/// Binary share files (`STEM.1` … `STEM.N`, layout in `ShareFile`), streamed in chunks so a large secret never
/// exists as text and memory stays at the secret plus one chunk per share.
enum ShareFiles {
    /// Bytes of secret processed per step (a multiple of the 128-byte kernel block).
    static let chunkSize = 1 << 20

    /// Splits into N files, each written atomically; all files appear only once every one is complete.
    static func split(_ secret: SecretBuffer, threshold: Int, shareCount: Int, stem: String) throws {
        let length = secret.count
        let xs = (1...shareCount).map { UInt8($0) }
        let splitID = NativeFormat.randomSplitID()
        let shares = try xs.map { try NativeShare(splitID: splitID, threshold: threshold, x: $0) }
        let files = try xs.map { try AtomicFile(path: "\(stem).\($0)") }
        var checksums = shares.map { ShareFile.startChecksum(for: $0, payloadCount: length) }
        let placeholder = [UInt8](repeating: 0, count: ShareFile.headerCount)
        for file in files { try placeholder.withUnsafeBytes { try file.write($0) } }

        let chunk = min(chunkSize, length)
        let rows = SecureBytes(count: shareCount * chunk)
        var rng = StreamRandom()
        try secret.withBytes { secretBytes in
            try rows.withUnsafeMutableBytes { rowBytes in
                var offset = 0
                while offset < length {
                    let n = min(chunk, length - offset)
                    let part = UnsafeRawBufferPointer(rebasing: secretBytes[offset..<(offset + n)])
                    let out = UnsafeMutableRawBufferPointer(rebasing: rowBytes[0..<(shareCount * n)])
                    try Shamir.split(part, threshold: threshold, xs: xs, into: out, using: &rng)
                    for i in 0..<shareCount {
                        let row = UnsafeRawBufferPointer(rebasing: rowBytes[(i * n)..<((i + 1) * n)])
                        checksums[i].update(row)
                        try files[i].write(row)
                    }
                    offset += n
                }
            }
        }
        var header = [UInt8](repeating: 0, count: ShareFile.headerCount)
        for i in 0..<shareCount {
            header.withUnsafeMutableBytes {
                ShareFile.encodeHeader(shares[i], payloadCount: length, checksum: checksums[i], into: $0)
            }
            try header.withUnsafeBytes { try files[i].write($0, at: 0) }
        }
        for file in files { try file.sync() }
        for file in files { try file.commit() }
    }

    /// Checks every file's header and the set (same split, distinct x, enough shares) before reading payloads,
    /// combines the first K while verifying every file's checksum, and writes the secret only if all verify.
    static func combine(_ paths: [String], hex: Bool) throws {
        var descriptors = [Int32]()
        defer { for fd in descriptors { close(fd) } }
        var headers = [ShareFile.Header]()
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
        var checksums = headers.map { ShareFile.startChecksum(for: $0.share, payloadCount: length) }

        let chunk = min(chunkSize, length)
        let rows = SecureBytes(count: paths.count * chunk)
        let secret = SecureBytes(count: length)
        try rows.withUnsafeMutableBytes { rowBytes in
            try secret.withUnsafeMutableBytes { secretBytes in
                var offset = 0
                while offset < length {
                    let n = min(chunk, length - offset)
                    for i in paths.indices {
                        let row = UnsafeMutableRawBufferPointer(rebasing: rowBytes[(i * n)..<((i + 1) * n)])
                        guard try FileIO.readFully(descriptors[i], into: row, name: paths[i]) == n else {
                            throw CLIError("\(paths[i]): the share file is truncated")
                        }
                        checksums[i].update(UnsafeRawBufferPointer(row))
                    }
                    try Shamir.combine(
                        xs: xs,
                        rows: UnsafeRawBufferPointer(rebasing: rowBytes[0..<(k * n)]),
                        into: UnsafeMutableRawBufferPointer(rebasing: secretBytes[offset..<(offset + n)])
                    )
                    offset += n
                }
            }
        }
        for i in paths.indices { try ShareFile.verify(checksums[i], against: headers[i], label: paths[i]) }
        try secret.withUnsafeBytes { try SecretOutput.write($0, hex: hex, to: 1, name: "standard output") }
    }
}
