import Sodium

/// Writes secret bytes to a file descriptor, raw or as lowercase hex plus a newline, through a guarded
/// staging buffer (hex digits are computed with arithmetic, not a table indexed by the secret).
enum SecretOutput {
    static func write(_ secret: UnsafeRawBufferPointer, hex: Bool, to fd: Int32, name: String) throws {
        guard hex else {
            try FileIO.writeAll(fd, secret, name: name)
            return
        }
        let chunk = 1 << 16
        let staging = SecureBytes(count: 2 * chunk)
        try staging.withUnsafeMutableBytes { out in
            var offset = 0
            while offset < secret.count {
                let n = min(chunk, secret.count - offset)
                for i in 0..<n {
                    let byte = Int(secret[offset + i])
                    out[2 * i] = digit(byte >> 4)
                    out[2 * i + 1] = digit(byte & 0xF)
                }
                try FileIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: out[0..<(2 * n)]), name: name)
                offset += n
            }
        }
        try [UInt8(0x0A)].withUnsafeBytes { try FileIO.writeAll(fd, $0, name: name) }
    }

    @inline(__always)
    private static func digit(_ nibble: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: nibble &+ 0x30 &+ (((9 &- nibble) >> 63) & 39))
    }
}
