import Escrow
import Platform
import Shamir
import Sodium

/// HashiCorp Vault's layout on the command line: base64 of `y ‖ x`, x drawn at random from 1…255.
enum VaultFormat {
    /// Splits and prints one base64 line per share.
    static func split(_ secret: SecretBuffer, threshold: Int, shareCount: Int) throws {
        let length = secret.count
        var rng = StreamRandom()
        let xs = try Shamir.randomCoordinates(count: shareCount, using: &rng)
        let rows = SecureBytes(count: shareCount * (length + 1))
        // Split into the first `length` bytes of each (length + 1)-byte row, via a compact buffer.
        let compact = SecureBytes(count: shareCount * length)
        try secret.withBytes { secretBytes in
            try compact.withUnsafeMutableBytes {
                try Shamir.split(secretBytes, threshold: threshold, xs: xs, into: $0, using: &rng)
            }
        }
        compact.withUnsafeBytes { source in
            rows.withUnsafeMutableBytes { target in
                for i in 0..<shareCount {
                    UnsafeMutableRawBufferPointer(rebasing: target[(i * (length + 1))..<(i * (length + 1) + length)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(i * length)..<((i + 1) * length)]))
                    target[i * (length + 1) + length] = xs[i]
                }
            }
        }
        let lineCount = VaultShare.lineCount(shareCount: length + 1)
        let output = SecureBytes(count: shareCount * (lineCount + 1))
        rows.withUnsafeBytes { rowBytes in
            output.withUnsafeMutableBytes { out in
                for i in 0..<shareCount {
                    let start = i * (lineCount + 1)
                    VaultShare.encodeLine(
                        UnsafeRawBufferPointer(rebasing: rowBytes[(i * (length + 1))..<((i + 1) * (length + 1))]),
                        into: UnsafeMutableRawBufferPointer(rebasing: out[start..<(start + lineCount)])
                    )
                    out[start + lineCount] = 0x0A
                }
            }
        }
        try output.withUnsafeBytes { try FileDescriptorIO.writeAll(1, $0, name: "standard output") }
    }

    /// Decodes every line (all base64 or all hex, decided for the whole set), checks what the layout allows, and
    /// combines all shares.
    static func combine(_ text: SecretBuffer) throws -> SecretBuffer {
        try text.withBytes { bytes in
            let lines = Lines.nonBlank(bytes)
            let encoding = try VaultShare.encoding(
                ofLines: lines.map { UnsafeRawBufferPointer(rebasing: bytes[$0.range]) },
                labels: lines.map { "line \($0.number)" }
            )
            var decoded = [SecureBytes]()
            var xs = [UInt8]()
            var counts = [Int]()
            var labels = [String]()
            for line in lines {
                let label = "line \(line.number)"
                let lineBytes = UnsafeRawBufferPointer(rebasing: bytes[line.range])
                let count = try VaultShare.decodedCount(ofLine: lineBytes, encoding: encoding, label: label)
                let share = SecureBytes(count: count)
                try share.withUnsafeMutableBytes {
                    try VaultShare.decodeLine(lineBytes, into: $0, encoding: encoding, label: label)
                }
                xs.append(share.withUnsafeBytes { $0[count - 1] })
                decoded.append(share)
                counts.append(count)
                labels.append(label)
            }
            try VaultShare.checkSet(xs: xs, counts: counts, labels: labels)
            let length = counts[0] - 1
            let rows = SecureBytes(count: decoded.count * length)
            rows.withUnsafeMutableBytes { target in
                for (i, share) in decoded.enumerated() {
                    share.withUnsafeBytes { source in
                        UnsafeMutableRawBufferPointer(rebasing: target[(i * length)..<((i + 1) * length)])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<length]))
                    }
                }
            }
            let secret = SecureBytes(count: length)
            try rows.withUnsafeBytes { rowBytes in
                try secret.withUnsafeMutableBytes { try Shamir.combine(xs: xs, rows: rowBytes, into: $0) }
            }
            return SecretBuffer(storage: secret, count: length)
        }
    }
}
