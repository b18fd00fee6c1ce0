import Escrow
import Platform
import Shamir
import Sodium

/// The native text format on the command line: `escrow-share-v1-…` lines, x = 1…N, a fresh split identifier.
enum NativeFormat {
    /// Splits and prints one line per share.
    static func split(_ secret: SecretBuffer, threshold: Int, shareCount: Int) throws {
        let length = secret.count
        let xs = (1...shareCount).map { UInt8($0) }
        let splitID = randomSplitID()
        let rows = SecureBytes(count: shareCount * length)
        var rng = StreamRandom()
        try secret.withBytes { secretBytes in
            try rows.withUnsafeMutableBytes {
                try Shamir.split(secretBytes, threshold: threshold, xs: xs, into: $0, using: &rng)
            }
        }
        let lineCount = NativeShare.lineCount(payloadCount: length)
        let output = SecureBytes(count: shareCount * (lineCount + 1))
        try rows.withUnsafeBytes { rowBytes in
            try output.withUnsafeMutableBytes { out in
                for (i, x) in xs.enumerated() {
                    let share = try NativeShare(splitID: splitID, threshold: threshold, x: x)
                    let start = i * (lineCount + 1)
                    share.encodeLine(
                        payload: UnsafeRawBufferPointer(rebasing: rowBytes[(i * length)..<((i + 1) * length)]),
                        into: UnsafeMutableRawBufferPointer(rebasing: out[start..<(start + lineCount)])
                    )
                    out[start + lineCount] = 0x0A
                }
            }
        }
        try output.withUnsafeBytes { try FileDescriptorIO.writeAll(1, $0, name: "standard output") }
    }

    /// Parses and checks every line (naming the first bad one), then combines the first K shares.
    static func combine(_ text: SecretBuffer) throws -> SecretBuffer {
        try text.withBytes { bytes in
            let lines = Lines.nonBlank(bytes)
            var shares = [NativeShare]()
            var counts = [Int]()
            var labels = [String]()
            for line in lines {
                let label = "line \(line.number)"
                let parsed = try NativeShare.parseLine(
                    UnsafeRawBufferPointer(rebasing: bytes[line.range]),
                    label: label
                )
                shares.append(parsed.share)
                counts.append(parsed.payloadCount)
                labels.append(label)
            }
            try NativeShare.checkSet(shares, payloadCounts: counts, labels: labels)
            let k = shares[0].threshold
            let length = counts[0]
            let rows = SecureBytes(count: k * length)
            try rows.withUnsafeMutableBytes { rowBytes in
                for i in 0..<k {
                    try NativeShare.decodePayload(
                        ofLine: UnsafeRawBufferPointer(rebasing: bytes[lines[i].range]),
                        into: UnsafeMutableRawBufferPointer(rebasing: rowBytes[(i * length)..<((i + 1) * length)])
                    )
                }
            }
            let secret = SecureBytes(count: length)
            try rows.withUnsafeBytes { rowBytes in
                try secret.withUnsafeMutableBytes {
                    try Shamir.combine(xs: shares.prefix(k).map(\.x), rows: rowBytes, into: $0)
                }
            }
            return SecretBuffer(storage: secret, count: length)
        }
    }

    /// A random 32-bit split identifier (public: it only tells splits apart).
    static func randomSplitID() -> UInt32 {
        Sodium.randomBytes(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
