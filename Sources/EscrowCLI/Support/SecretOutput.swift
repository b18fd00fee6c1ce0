import Platform
import Sodium

/// Writes secret bytes to a file descriptor, raw or as lowercase hex plus a newline, through a guarded
/// staging buffer (hex digits are computed with arithmetic, not a table indexed by the secret).
enum SecretOutput {
    /// Writes the whole secret: raw, or as hex digits and a newline.
    static func write(_ secret: UnsafeRawBufferPointer, hex: Bool, to fd: Int32, name: String) throws {
        guard hex else {
            try FileDescriptorIO.writeAll(fd, secret, name: name)
            return
        }
        try writeHexDigits(secret, to: fd, name: name)
        try writeNewline(to: fd, name: name)
    }

    /// Writes one piece of a secret produced in pieces: raw, or as hex digits only (finish hex output with
    /// ``writeNewline(to:name:)`` after the last piece).
    static func writePiece(_ piece: UnsafeRawBufferPointer, hex: Bool, to fd: Int32, name: String) throws {
        if hex {
            try writeHexDigits(piece, to: fd, name: name)
        } else {
            try FileDescriptorIO.writeAll(fd, piece, name: name)
        }
    }

    /// Writes the bytes as lowercase hex digits, without a newline.
    static func writeHexDigits(_ secret: UnsafeRawBufferPointer, to fd: Int32, name: String) throws {
        let chunk = 1 << 16
        let staging = SecureBytes(count: 2 * min(chunk, max(1, secret.count)))
        try staging.withUnsafeMutableBytes { out in
            var offset = 0
            while offset < secret.count {
                let n = min(chunk, secret.count - offset)
                for i in 0..<n {
                    let byte = Int(secret[offset + i])
                    out[2 * i] = digit(byte >> 4)
                    out[2 * i + 1] = digit(byte & 0xF)
                }
                try FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: out[0..<(2 * n)]), name: name)
                offset += n
            }
        }
    }

    /// Writes a newline (the end of hex output).
    static func writeNewline(to fd: Int32, name: String) throws {
        try [UInt8(0x0A)].withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: name) }
    }

    @inline(__always)
    private static func digit(_ nibble: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: nibble &+ 0x30 &+ (((9 &- nibble) >> 63) & 39))
    }
}
