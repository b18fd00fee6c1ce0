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

    /// Writes a secret for a person at a terminal: every control character (C0 except, with `keepingLineBreaks`, tab
    /// and line feed; DEL; C1 as its UTF-8 bytes `C2 80`…`C2 9F`) is shown as `\xHH` text, so an escape sequence
    /// planted in a value (a screen rewrite, OSC 52 into the clipboard) is printed instead of acted on.
    ///
    /// - Returns: Whether anything was escaped (the caller then says so).
    @discardableResult
    static func writeEscapingControls(
        _ secret: UnsafeRawBufferPointer,
        keepingLineBreaks: Bool,
        to fd: Int32,
        name: String
    ) throws -> Bool {
        let chunk = 1 << 14
        let staging = SecureBytes(count: 4 * min(chunk, max(1, secret.count)) + 8)
        var escaped = false
        try staging.withUnsafeMutableBytes { out in
            var offset = 0
            while offset < secret.count {
                let end = min(offset + chunk, secret.count)
                var used = 0
                var index = offset
                while index < end {
                    let byte = secret[index]
                    let isC1 = byte == 0xC2 && index + 1 < secret.count && (0x80...0x9F).contains(secret[index + 1])
                    let isC0 = byte < 0x20 && !(keepingLineBreaks && (byte == 0x09 || byte == 0x0A))
                    if isC0 || byte == 0x7F || isC1 {
                        escaped = true
                        for part in isC1 ? [byte, secret[index + 1]] : [byte] {
                            out[used] = UInt8(ascii: "\\")
                            out[used + 1] = UInt8(ascii: "x")
                            out[used + 2] = upperDigit(Int(part >> 4))
                            out[used + 3] = upperDigit(Int(part & 0xF))
                            used += 4
                        }
                        index += isC1 ? 2 : 1
                    } else {
                        out[used] = byte
                        used += 1
                        index += 1
                    }
                }
                try FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: out[0..<used]), name: name)
                offset = index
            }
        }
        return escaped
    }

    /// Writes a newline (the end of hex output).
    static func writeNewline(to fd: Int32, name: String) throws {
        try [UInt8(0x0A)].withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: name) }
    }

    /// An uppercase hex digit (for escapes, which show public structure, not secret bytes).
    private static func upperDigit(_ nibble: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: nibble < 10 ? 0x30 + nibble : 0x37 + nibble)
    }

    @inline(__always)
    private static func digit(_ nibble: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: nibble &+ 0x30 &+ (((9 &- nibble) >> 63) & 39))
    }
}
