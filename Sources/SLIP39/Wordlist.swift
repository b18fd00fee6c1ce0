extension SLIP39 {
    /// The SLIP-0039 word list: 1024 words, so each word carries 10 bits.
    ///
    /// The list is compiled into the module (``words``). Lookups made while decoding a mnemonic run in time
    /// independent of which word was typed: each word is compared with all 1024 entries using masks.
    public enum Wordlist {
        /// The number of words (2¹⁰).
        public static let count = 1024

        /// Each word packed into a `UInt64`, first letter in the low byte, zero bytes after the last letter.
        static let packedWords: [UInt64] = words.map { word in
            var packed: UInt64 = 0
            for (offset, byte) in word.utf8.enumerated() { packed |= UInt64(byte) << (8 * UInt64(offset)) }
            return packed
        }

        /// The length of each word, in letters.
        static let wordLengths: [UInt64] = words.map { UInt64($0.utf8.count) }

        /// The index of `word`, or `nil` if it is not in the list.
        ///
        /// Matching ignores ASCII case. This is the convenient, *not* constant-time, form for tools and tests;
        /// mnemonic decoding uses ``index(ofToken:)``.
        ///
        /// - Parameter word: A candidate word.
        /// - Returns: The word's 10-bit index, or `nil`.
        public static func index(of word: some StringProtocol) -> Int? {
            Array(word.utf8).withUnsafeBytes { index(ofToken: $0) }.map(Int.init)
        }

        /// The index of the word spelled by `token` (ASCII, any case), or `nil`.
        ///
        /// For tools, tests and the message about a rejected mnemonic: it returns early on a length outside 4…8.
        /// Mnemonic decoding uses ``lookUp(packed:length:)`` on words it split without branches.
        ///
        /// - Parameter token: The bytes of one word, without surrounding whitespace.
        /// - Returns: The index, or `nil` when no word matches.
        static func index(ofToken token: UnsafeRawBufferPointer) -> UInt16? {
            guard (4...8).contains(token.count) else { return nil }
            var packed: UInt64 = 0
            for offset in 0..<token.count {
                packed |= UInt64(asciiLowercased(token[offset])) << (8 * UInt64(offset))
            }
            let match = lookUp(packed: packed, length: UInt64(token.count))
            return match.found == 0 ? nil : UInt16(truncatingIfNeeded: match.index)
        }

        /// Finds a lowercase word, packed as in ``packedWords``, among all 1024 entries with masks: the time and
        /// the memory accesses do not depend on the word.
        ///
        /// - Parameters:
        ///   - packed: The word's first eight letters, first letter in the low byte.
        ///   - length: The word's length in letters (any value; no word is longer than 8).
        /// - Returns: The index (0 if not found) and `found`: all ones if the word is in the list, otherwise zero.
        static func lookUp(packed: UInt64, length: UInt64) -> (index: UInt64, found: UInt64) {
            var found: UInt64 = 0
            var index: UInt64 = 0
            packedWords.withUnsafeBufferPointer { packedWords in
                wordLengths.withUnsafeBufferPointer { wordLengths in
                    for candidate in 0..<count {
                        // Through `opaque`: otherwise the release build (Swift 6.3.1, x86-64) turns `index |= mask &
                        // candidate` into a conditional jump on the match in every other iteration of the unrolled
                        // loop (memcheck reported 512 per lookup).
                        let difference = (packedWords[candidate] ^ packed) | (wordLengths[candidate] ^ length)
                        let mask = ConstantTime.opaque(ConstantTime.isZeroMask(difference))
                        found |= mask
                        index |= mask & UInt64(candidate)
                    }
                }
            }
            return (index, found)
        }

        /// The word at `index`, selected without a memory access indexed by `index`.
        ///
        /// - Parameter index: A 10-bit index.
        /// - Returns: The packed word (see ``packedWords``).
        static func packedWord(at index: UInt16) -> UInt64 {
            var result: UInt64 = 0
            let wanted = UInt64(index)
            packedWords.withUnsafeBufferPointer { packedWords in
                for candidate in 0..<count {
                    result |= ConstantTime.isZeroMask(UInt64(candidate) ^ wanted) & packedWords[candidate]
                }
            }
            return result
        }

        /// The word closest to `typed`, to suggest a correction for a word that is not in the list.
        ///
        /// A word whose first four letters match wins (four letters identify a word uniquely); otherwise the word
        /// at the smallest Damerau–Levenshtein distance (adjacent transpositions count as one edit), the first in
        /// list order on a tie.
        ///
        /// - Parameter typed: The unknown word as typed (any case).
        /// - Returns: A word of the list.
        /// - Complexity: O(1024 × `typed.count` × 8).
        public static func closestWord(to typed: some StringProtocol) -> String {
            let letters = Array(typed.lowercased().utf8)
            if letters.count >= 4 {
                let prefix = letters.prefix(4)
                if let word = words.first(where: { $0.utf8.prefix(4).elementsEqual(prefix) }) { return word }
            }
            var best = words[0]
            var bestDistance = Int.max
            for word in words {
                let distance = editDistance(letters, Array(word.utf8))
                if distance < bestDistance {
                    best = word
                    bestDistance = distance
                }
            }
            return best
        }

        /// The optimal-string-alignment (restricted Damerau–Levenshtein) distance between two byte strings.
        static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
            if a.isEmpty { return b.count }
            if b.isEmpty { return a.count }
            // Three rolling rows: two rows back (for transpositions), previous, current.
            var twoBack = [Int](repeating: 0, count: b.count + 1)
            var previous = Array(0...b.count)
            var current = [Int](repeating: 0, count: b.count + 1)
            for i in 1...a.count {
                current[0] = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        value = min(value, twoBack[j - 2] + 1)
                    }
                    current[j] = value
                }
                (twoBack, previous, current) = (previous, current, twoBack)
            }
            return previous[b.count]
        }

        /// `byte` with ASCII `A`…`Z` mapped to `a`…`z`, computed without a branch on the byte.
        static func asciiLowercased(_ byte: UInt8) -> UInt8 {
            // (byte - 'A') < 26  <=>  the 16-bit difference below underflows.
            let offset = UInt16(byte &- 0x41)
            let isUpper = UInt8(truncatingIfNeeded: (offset &- 26) >> 8)
            return byte | (isUpper & 0x20)
        }
    }
}
