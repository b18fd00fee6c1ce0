/// Base64url without padding (RFC 4648 §5), the encoding of every key, signature and ciphertext in escrow's files.
///
/// Decoding is strict: only the url-safe alphabet, no padding, no whitespace, and the unused low bits of the last
/// character must be zero, so each byte string has exactly one encoding. The data is public (keys, ciphertexts), so
/// the table lookups here are not constant time; secrets are never base64-encoded.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// Encodes `bytes`.
    ///
    /// - Parameter bytes: Public bytes.
    /// - Returns: The unpadded base64url text.
    public static func encode(_ bytes: [UInt8]) -> String {
        let count = (bytes.count * 4 + 2) / 3
        guard count > 0 else { return "" }
        return bytes.withUnsafeBufferPointer { input in
            alphabet.withUnsafeBufferPointer { alphabet in
                String(unsafeUninitializedCapacity: count) { output in
                    var index = 0
                    var written = 0
                    while index + 3 <= input.count {
                        let chunk = Int(input[index]) << 16 | Int(input[index + 1]) << 8 | Int(input[index + 2])
                        output[written] = alphabet[chunk >> 18 & 63]
                        output[written + 1] = alphabet[chunk >> 12 & 63]
                        output[written + 2] = alphabet[chunk >> 6 & 63]
                        output[written + 3] = alphabet[chunk & 63]
                        index += 3
                        written += 4
                    }
                    let rest = input.count - index
                    if rest > 0 {
                        let chunk = Int(input[index]) << 16 | (rest == 2 ? Int(input[index + 1]) << 8 : 0)
                        output[written] = alphabet[chunk >> 18 & 63]
                        output[written + 1] = alphabet[chunk >> 12 & 63]
                        written += 2
                        if rest == 2 {
                            output[written] = alphabet[chunk >> 6 & 63]
                            written += 1
                        }
                    }
                    return written
                }
            }
        }
    }

    /// Decodes unpadded base64url text.
    ///
    /// - Parameter text: The encoded text.
    /// - Returns: The bytes, or `nil` if `text` is not the canonical encoding of some byte string.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { characters in
            reverse.withUnsafeBufferPointer { reverse in decode(characters, reverse: reverse) }
        }
    }

    private static func decode(_ characters: UnsafeBufferPointer<UInt8>, reverse: UnsafeBufferPointer<UInt8>)
        -> [UInt8]?
    {
        guard characters.count % 4 != 1 else { return nil }
        let count = characters.count * 3 / 4
        var valid = true
        let output = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            var index = 0
            var written = 0
            // Four characters (24 bits) at a time; an invalid character sets the 0xFF bits it maps to.
            while index + 4 <= characters.count {
                let a = reverse[Int(characters[index])]
                let b = reverse[Int(characters[index + 1])]
                let c = reverse[Int(characters[index + 2])]
                let d = reverse[Int(characters[index + 3])]
                guard (a | b | c | d) & 0xC0 == 0 else {
                    valid = false
                    break
                }
                let chunk = Int(a) << 18 | Int(b) << 12 | Int(c) << 6 | Int(d)
                output[written] = UInt8(truncatingIfNeeded: chunk >> 16)
                output[written + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                output[written + 2] = UInt8(truncatingIfNeeded: chunk)
                index += 4
                written += 3
            }
            let rest = characters.count - index
            if valid, rest >= 2 {
                let a = reverse[Int(characters[index])]
                let b = reverse[Int(characters[index + 1])]
                let c = rest == 3 ? reverse[Int(characters[index + 2])] : 0
                let chunk = Int(a) << 18 | Int(b) << 12 | Int(c) << 6
                // The leftover bits must be zero for the encoding to be canonical.
                let unused = rest == 2 ? chunk & 0xFFFF : chunk & 0xFF
                if (a | b | c) & 0xC0 != 0 || unused != 0 {
                    valid = false
                } else {
                    output[written] = UInt8(truncatingIfNeeded: chunk >> 16)
                    written += 1
                    if rest == 3 {
                        output[written] = UInt8(truncatingIfNeeded: chunk >> 8)
                        written += 1
                    }
                }
            }
            initialized = written
        }
        return valid ? output : nil
    }
}
