import Escrow
import Platform
import Sodium

/// JSON output that carries secrets without putting them in a `String`: public members are written by
/// `JSONWriter`; each secret string is escaped from guarded memory into guarded memory and written straight to
/// the file descriptor.
struct SecretJSON {
    let fd: Int32
    let name: String

    /// Writes public bytes.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: name) }
    }

    /// Writes an object whose public members are `members` and whose secret string members are `secrets` (in order).
    func writeObject(_ members: [String: JSONValue], secrets: [(String, SecureBytes)]) throws {
        var head = JSONWriter.canonical(.object(members))
        head.removeLast()  // "}"
        try write(head)
        for (index, (key, value)) in secrets.enumerated() {
            try write(Array((members.isEmpty && index == 0 ? "" : ",").utf8) + JSONWriter.canonical(.string(key)))
            try write(Array(":\"".utf8))
            let escaped = Self.escape(value)
            try escaped.bytes.withUnsafeBytes {
                try FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[0..<escaped.count]), name: name)
            }
            try write([UInt8(ascii: "\"")])
        }
        try write([UInt8(ascii: "}")])
    }

    /// JSON string escaping without branches on the secret: every byte writes a six-byte slot (`\u00XX`) or its
    /// one-byte self, chosen by masks, and the write position advances by 6 or 1. (The output length shows how many
    /// characters needed escaping, which the output itself shows anyway.) Bytes ≥ 0x80 pass through, so UTF-8 text
    /// stays UTF-8.
    static func escape(_ secret: SecureBytes) -> (bytes: SecureBytes, count: Int) {
        let output = SecureBytes(count: secret.count * 6 + 6)
        var position = 0
        secret.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                for byte in input {
                    let c = UInt32(byte)
                    let control = ((c &- 0x20) >> 31) & 1
                    let quote = ((c ^ 0x22) &- 1) >> 31 & 1
                    let backslash = ((c ^ 0x5C) &- 1) >> 31 & 1
                    let escape = control | quote | backslash
                    let mask = UInt32(0) &- escape  // all ones when escaping
                    let high = c >> 4
                    let low = c & 0x0F
                    // Hex digits by arithmetic: '0' + n, plus 39 for n >= 10 ('a'…'f').
                    let highDigit = 0x30 &+ high &+ (((9 &- high) >> 31) & 39)
                    let lowDigit = 0x30 &+ low &+ (((9 &- low) >> 31) & 39)
                    out[position] = UInt8(truncatingIfNeeded: (0x5C & mask) | (c & ~mask))
                    out[position + 1] = UInt8(truncatingIfNeeded: 0x75)
                    out[position + 2] = 0x30
                    out[position + 3] = 0x30
                    out[position + 4] = UInt8(truncatingIfNeeded: highDigit)
                    out[position + 5] = UInt8(truncatingIfNeeded: lowDigit)
                    position += 1 + 5 * Int(escape)
                }
            }
        }
        return (output, position)
    }
}
