/// Conversions between mnemonic text, 10-bit word indices, header fields and share-value bytes.
///
/// Everything works on caller-provided buffers so that word indices and value bytes (share material) stay in
/// wiped memory. Loops run a number of times that depends only on lengths, never on word or byte values.
///
/// Layout of a mnemonic (big-endian bit order throughout):
///
/// | identifier | extendable | exponent | group index | group thr. − 1 | group count − 1 | member index | member thr. − 1 | padded value | checksum |
/// |---|---|---|---|---|---|---|---|---|---|
/// | 15 bits | 1 bit | 4 bits | 4 bits | 4 bits | 4 bits | 4 bits | 4 bits | 10·k bits | 30 bits |
enum MnemonicCodec {
    // MARK: Text ⇄ word indices

    /// Whether `byte` separates words (ASCII space, tab, line feed, vertical tab, form feed, carriage return).
    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The byte ranges of the words of `text`.
    ///
    /// - Parameter text: UTF-8 text; words are separated by ASCII whitespace.
    /// - Returns: One range per word, in order.
    static func wordRanges(in text: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start: Int?
        for offset in 0..<text.count {
            if isSeparator(text[offset]) {
                if let begin = start { ranges.append(begin..<offset) }
                start = nil
            } else if start == nil {
                start = offset
            }
        }
        if let begin = start { ranges.append(begin..<text.count) }
        return ranges
    }

    /// Looks up every word of `text` and writes its index.
    ///
    /// - Parameters:
    ///   - text: The mnemonic text.
    ///   - ranges: The word ranges from ``wordRanges(in:)``.
    ///   - indices: One slot per range.
    ///   - label: Names the mnemonic in error messages, e.g. `line 3`.
    /// - Throws: ``SLIP39Error/Code/unknownWord`` naming the first unknown word's position and the closest word.
    static func lookUpWords(
        in text: UnsafeRawBufferPointer,
        ranges: [Range<Int>],
        into indices: UnsafeMutableBufferPointer<UInt16>,
        label: String
    ) throws(SLIP39Error) {
        precondition(indices.count == ranges.count, "one index slot per word")
        for (position, range) in ranges.enumerated() {
            let token = UnsafeRawBufferPointer(rebasing: text[range])
            guard let index = SLIP39.Wordlist.index(ofToken: token) else {
                let suggestion = SLIP39.Wordlist.closestWord(to: String(decoding: token, as: UTF8.self))
                throw SLIP39Error(
                    .unknownWord,
                    "\(label): word \(position + 1) is not in the SLIP-39 word list (did you mean \"\(suggestion)\"?)"
                )
            }
            indices[position] = index
        }
    }

    /// The number of bytes of the text of `words`: the words separated by single spaces.
    static func textByteCount(of words: UnsafeBufferPointer<UInt16>) -> Int {
        guard !words.isEmpty else { return 0 }
        var total = words.count - 1
        for word in words { total += wordLength(at: word) }
        return total
    }

    /// Writes the text of `words` (separated by single spaces, no terminator) into `text`.
    ///
    /// - Precondition: `text.count == textByteCount(of: words)`.
    static func writeText(of words: UnsafeBufferPointer<UInt16>, into text: UnsafeMutableRawBufferPointer) {
        precondition(text.count == textByteCount(of: words), "text buffer size")
        var offset = 0
        for (position, word) in words.enumerated() {
            if position > 0 {
                text[offset] = 0x20
                offset += 1
            }
            var packed = SLIP39.Wordlist.packedWord(at: word)
            for _ in 0..<wordLength(at: word) {
                text[offset] = UInt8(truncatingIfNeeded: packed)
                packed >>= 8
                offset += 1
            }
        }
    }

    /// The length of the word at `index`, selected without a memory access indexed by it.
    private static func wordLength(at index: UInt16) -> Int {
        var length: UInt64 = 0
        let wanted = UInt64(index)
        SLIP39.Wordlist.wordLengths.withUnsafeBufferPointer { lengths in
            for candidate in 0..<lengths.count {
                length |= ConstantTime.isZeroMask(UInt64(candidate) ^ wanted) & lengths[candidate]
            }
        }
        return Int(length)
    }

    // MARK: Header fields ⇄ the first four words

    /// Reads the header from the first four words.
    static func decodeHeader(_ words: UnsafeBufferPointer<UInt16>) -> ShareHeader {
        precondition(words.count >= 4, "the header spans four words")
        let first = UInt32(words[0]) << 10 | UInt32(words[1])  // id(15) ext(1) e(4)
        let second = UInt32(words[2]) << 10 | UInt32(words[3])  // GI(4) Gt(4) g(4) I(4) t(4)
        return ShareHeader(
            identifier: Int(first >> 5),
            isExtendable: (first >> 4) & 1 == 1,
            iterationExponent: Int(first & 0xF),
            groupIndex: Int(second >> 16),
            groupThreshold: Int((second >> 12) & 0xF) + 1,
            groupCount: Int((second >> 8) & 0xF) + 1,
            memberIndex: Int((second >> 4) & 0xF),
            memberThreshold: Int(second & 0xF) + 1
        )
    }

    /// Writes `header` into the first four words.
    static func encodeHeader(_ header: ShareHeader, into words: UnsafeMutableBufferPointer<UInt16>) {
        precondition(words.count >= 4, "the header spans four words")
        header.checkFieldRanges()
        let first =
            UInt32(header.identifier) << 5 | (header.isExtendable ? 1 << 4 : 0) | UInt32(header.iterationExponent)
        var second = UInt32(header.groupIndex) << 16
        second |= UInt32(header.groupThreshold - 1) << 12
        second |= UInt32(header.groupCount - 1) << 8
        second |= UInt32(header.memberIndex) << 4
        second |= UInt32(header.memberThreshold - 1)
        words[0] = UInt16(first >> 10)
        words[1] = UInt16(first & 0x3FF)
        words[2] = UInt16(second >> 10)
        words[3] = UInt16(second & 0x3FF)
    }

    // MARK: Share value ⇄ value words

    /// The padding and value size implied by a mnemonic's word count.
    ///
    /// - Parameter wordCount: Words in the whole mnemonic.
    /// - Returns: The zero bits in front of the value and the value's byte count, or `nil` if no value fits
    ///   (the padding would exceed 8 bits, which is how an odd byte count shows).
    static func valueLayout(wordCount: Int) -> (paddingBitCount: Int, byteCount: Int)? {
        let valueBits = (wordCount - SLIP39.metadataWordCount) * SLIP39.bitsPerWord
        guard valueBits > 0 else { return nil }
        let padding = valueBits % 16
        guard padding <= 8 else { return nil }
        return (padding, (valueBits - padding) / 8)
    }

    /// Unpacks the value words into bytes, dropping `paddingBitCount` leading bits.
    ///
    /// - Parameters:
    ///   - words: The value words (between the header and the checksum).
    ///   - paddingBitCount: From ``valueLayout(wordCount:)``.
    ///   - value: Exactly the value's byte count.
    /// - Returns: `true` if every padding bit is zero.
    static func unpackValue(
        _ words: UnsafeBufferPointer<UInt16>,
        paddingBitCount: Int,
        into value: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(!words.isEmpty && (0...8).contains(paddingBitCount), "value layout")
        precondition(words.count * SLIP39.bitsPerWord - paddingBitCount == value.count * 8, "value size")
        let keptBits = SLIP39.bitsPerWord - paddingBitCount
        let paddingIsZero = UInt32(words[0]) >> keptBits == 0
        var accumulator = UInt32(words[0]) & ((1 << keptBits) - 1)
        var bitCount = keptBits
        var offset = 0
        var position = 1
        while true {
            while bitCount >= 8 {
                bitCount -= 8
                value[offset] = UInt8(truncatingIfNeeded: accumulator >> bitCount)
                accumulator &= (1 << bitCount) - 1
                offset += 1
            }
            guard position < words.count else { break }
            accumulator = accumulator << 10 | UInt32(words[position])
            bitCount += 10
            position += 1
        }
        accumulator = 0
        return paddingIsZero
    }

    /// Packs `value` into words, after enough zero bits to fill whole words.
    ///
    /// - Parameters:
    ///   - value: The share value.
    ///   - words: Exactly ``SLIP39/valueWordCount(byteCount:)`` words.
    static func packValue(_ value: UnsafeRawBufferPointer, into words: UnsafeMutableBufferPointer<UInt16>) {
        precondition(words.count == SLIP39.valueWordCount(byteCount: value.count), "value word count")
        var accumulator: UInt32 = 0
        var bitCount = words.count * SLIP39.bitsPerWord - value.count * 8  // the zero padding, already "read"
        var position = 0
        for byte in value {
            accumulator = accumulator << 8 | UInt32(byte)
            bitCount += 8
            while bitCount >= 10 {
                bitCount -= 10
                words[position] = UInt16(truncatingIfNeeded: accumulator >> bitCount) & 0x3FF
                accumulator &= (1 << bitCount) - 1
                position += 1
            }
        }
        assert(position == words.count && bitCount == 0, "value words filled exactly")
        accumulator = 0
    }
}
