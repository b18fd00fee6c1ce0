internal import CSodium

extension Sodium {
    /// Fills `buffer` from the operating system's CSPRNG (`randombytes_buf`).
    ///
    /// - Parameter buffer: The memory to fill; may be empty.
    public static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        prepare()
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }

    /// Returns `count` random bytes for **public** values: identifiers, nonces, salts.
    ///
    /// - Parameter count: The number of bytes.
    /// - Returns: Fresh random bytes in an ordinary array (use ``SecureBytes/random(count:)`` for keys).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { fillRandom($0) }
        return bytes
    }

    /// Returns a uniformly distributed integer in `0..<upperBound` without modulo bias (`randombytes_uniform`).
    ///
    /// - Parameter upperBound: The exclusive bound; `0` or `1` give `0`.
    /// - Returns: The random integer.
    public static func uniformRandom(_ upperBound: UInt32) -> UInt32 {
        prepare()
        return randombytes_uniform(upperBound)
    }

    /// Generates a password of `length` characters drawn uniformly and independently from `alphabet`.
    ///
    /// The result is ASCII bytes in guarded memory; callers that need character-class rules (e.g. a cloud root
    /// password policy) re-draw until the rules hold, which keeps the distribution uniform over the valid set.
    /// - Parameters:
    ///   - length: The number of characters.
    ///   - alphabet: Distinct ASCII characters to draw from (public).
    /// - Returns: The password bytes.
    /// - Precondition: `alphabet` is non-empty, ASCII, and has at most 2^32 - 1 characters.
    public static func randomPassword(length: Int, alphabet: [UInt8]) -> SecureBytes {
        precondition(!alphabet.isEmpty, "password alphabet must not be empty")
        precondition(alphabet.allSatisfy { $0 < 0x80 }, "password alphabet must be ASCII")
        let bound = UInt32(alphabet.count)
        return SecureBytes(count: length) { out in
            for index in 0..<length {
                let chosen = uniformRandom(bound)
                // Select alphabet[chosen] by scanning the whole alphabet with masks, so that no memory index
                // depends on the secret choice.
                var character: UInt8 = 0
                for (position, candidate) in alphabet.enumerated() {
                    let difference = UInt32(truncatingIfNeeded: position) ^ chosen
                    // 0xFF when difference == 0, else 0x00, without a branch.
                    let mask = UInt8(truncatingIfNeeded: (difference &- 1) >> 31) &* 0xFF
                    character |= candidate & mask
                }
                out[index] = character
            }
        }
    }
}
