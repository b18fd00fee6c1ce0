import Sodium

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
    //
    // Constant time with respect to the words: a word's length tells which of the few hundred words of that length
    // it is, so neither the lengths nor the positions of the separators may steer a branch or form an address.
    // Only the text's total length and its number of words are public (the share's length shows in both). Decoding
    // scans the text byte by byte with masks, keeps the current word in a register (its first eight letters packed
    // into a `UInt64`, its length saturating at nine) and stores it into every word slot under a mask when the word
    // ends; encoding computes each output byte from every word that could reach it. The four header words are
    // declassified once decoded (identifier, indices, thresholds: public metadata of every share).

    /// Whether `byte` separates words (ASCII space, tab, line feed, vertical tab, form feed, carriage return).
    ///
    /// Branches on the byte: for messages about rejected input only (``wordRanges(in:)``).
    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// All ones if `byte` separates words (see ``isSeparator(_:)``), otherwise zero; no branch on the byte.
    @inline(__always)
    static func separatorMask(_ byte: UInt8) -> UInt64 {
        let value = UInt64(byte)
        // value - 9 < 5 (unsigned, in 64 bits: bytes below 9 wrap to huge values, whose top bit is set).
        let offset = value &- 9
        let isControl = ((offset &- 5) >> 63) & ~(offset >> 63) & 1
        return ConstantTime.isZeroMask(value ^ 0x20) | (0 &- isControl)
    }

    /// The byte ranges of the words of `text`.
    ///
    /// Not constant time: it branches on every byte. Used only to name the offending word of a rejected mnemonic.
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

    /// The number of words of `text` (runs of bytes between ASCII whitespace), counted without a branch on the
    /// bytes; the count is public (it gives the share's length) and is declassified.
    ///
    /// - Parameter text: UTF-8 text.
    /// - Returns: The number of words.
    static func wordCount(in text: UnsafeRawBufferPointer) -> Int {
        var count: UInt64 = 0
        var previousIsSeparator = UInt64.max
        for offset in 0..<text.count {
            let isSeparator = separatorMask(text[offset])
            count &+= ~isSeparator & previousIsSeparator & 1
            previousIsSeparator = isSeparator
        }
        return ConstantTime.declassify(count, bitCount: 63)
    }

    /// Looks up every word of `text` and writes its index, in time that depends only on the text's length and its
    /// number of words.
    ///
    /// - Parameters:
    ///   - text: The mnemonic text.
    ///   - indices: One slot per word: ``wordCount(in:)`` slots.
    ///   - label: Names the mnemonic in error messages, e.g. `line 3`.
    /// - Throws: ``SLIP39Error/Code/unknownWord`` naming the first unknown word's position and the closest word
    ///   (that message is built by a path that is not constant time: the mnemonic is rejected and shown anyway).
    static func lookUpWords(
        in text: UnsafeRawBufferPointer,
        into indices: UnsafeMutableBufferPointer<UInt16>,
        label: String
    ) throws(SLIP39Error) {
        let slotCount = indices.count
        // Two UInt64 per word (packed letters, length) in guarded memory: they spell the words.
        let slots = SecureBytes(count: slotCount * 2 * MemoryLayout<UInt64>.stride)
        let found = slots.withUnsafeMutableBytes { raw -> Bool in
            let slots = raw.bindMemory(to: UInt64.self)
            splitWords(text, into: slots)
            var allFound = UInt64.max
            for position in 0..<slotCount {
                let match = SLIP39.Wordlist.lookUp(packed: slots[2 * position], length: slots[2 * position + 1])
                allFound &= match.found
                indices[position] = UInt16(truncatingIfNeeded: match.index)
            }
            return ConstantTime.declassify(allFound != 0)
        }
        guard found else { throw unknownWord(in: text, label: label) }
    }

    /// Splits `text` into words, writing each word's packed letters and length into its two slots.
    ///
    /// A word longer than eight letters keeps its first eight and the length 9, which no word of the list has.
    private static func splitWords(_ text: UnsafeRawBufferPointer, into slots: UnsafeMutableBufferPointer<UInt64>) {
        let slotCount = slots.count / 2
        for offset in 0..<slots.count { slots[offset] = 0 }
        var packed: UInt64 = 0
        var length: UInt64 = 0
        var word: UInt64 = 0  // 1 + the index of the current (or last) word
        var previousIsSeparator = UInt64.max
        for offset in 0..<text.count {
            let byte = text[offset]
            let isSeparator = separatorMask(byte)
            let starts = ~isSeparator & previousIsSeparator
            let ends = isSeparator & ~previousIsSeparator
            store(packed, length, word: word, mask: ends, into: slots, slotCount: slotCount)
            packed &= ~starts
            length &= ~starts
            word &+= starts & 1
            let letter = UInt64(SLIP39.Wordlist.asciiLowercased(byte)) & ~isSeparator
            for position in 0..<8 {
                packed |= ConstantTime.isZeroMask(length ^ UInt64(position)) & (letter << (8 * UInt64(position)))
            }
            length &+= ~isSeparator & ~ConstantTime.isZeroMask(length ^ 9) & 1
            previousIsSeparator = isSeparator
        }
        store(packed, length, word: word, mask: ~previousIsSeparator, into: slots, slotCount: slotCount)
        packed = 0
        length = 0
    }

    /// Stores a finished word into slot `word - 1` where `mask` is all ones; every slot is visited.
    @inline(__always)
    private static func store(
        _ packed: UInt64,
        _ length: UInt64,
        word: UInt64,
        mask: UInt64,
        into slots: UnsafeMutableBufferPointer<UInt64>,
        slotCount: Int
    ) {
        for slot in 0..<slotCount {
            let selected = mask & ConstantTime.isZeroMask(word ^ UInt64(slot + 1))
            slots[2 * slot] |= selected & packed
            slots[2 * slot + 1] |= selected & length
        }
    }

    /// The refusal of a mnemonic with a word that is not in the list (rejected input: this path branches on it).
    @inline(never)
    private static func unknownWord(in text: UnsafeRawBufferPointer, label: String) -> SLIP39Error {
        for (position, range) in wordRanges(in: text).enumerated() {
            let token = UnsafeRawBufferPointer(rebasing: text[range])
            if SLIP39.Wordlist.index(ofToken: token) == nil {
                let suggestion = SLIP39.Wordlist.closestWord(to: String(decoding: token, as: UTF8.self))
                return SLIP39Error(
                    .unknownWord,
                    "\(label): word \(position + 1) is not in the SLIP-39 word list (did you mean \"\(suggestion)\"?)"
                )
            }
        }
        return SLIP39Error(.unknownWord, "\(label): a word is not in the SLIP-39 word list")
    }

    /// The number of bytes of the text of `words`: the words separated by single spaces.
    ///
    /// The total is public (it is the length of the text handed out) and is declassified; the words' lengths are
    /// summed without a memory access indexed by a word.
    static func textByteCount(of words: UnsafeBufferPointer<UInt16>) -> Int {
        guard !words.isEmpty else { return 0 }
        var total = UInt64(words.count - 1)
        for word in words { total &+= wordLength(at: word) }
        return ConstantTime.declassify(total, bitCount: 63)
    }

    /// Writes the text of `words` (separated by single spaces, no terminator) into `text`.
    ///
    /// Each output byte is assembled from every word that could reach it (word *w* starts between offsets 5·*w* and
    /// 9·*w*: every word has 4 to 8 letters), with masks: no store address and no branch depends on a word.
    ///
    /// - Precondition: `text.count == textByteCount(of: words)`.
    static func writeText(of words: UnsafeBufferPointer<UInt16>, into text: UnsafeMutableRawBufferPointer) {
        precondition(text.count == textByteCount(of: words), "text buffer size")
        for offset in 0..<text.count { text[offset] = 0 }
        var start: UInt64 = 0
        for (position, word) in words.enumerated() {
            let packed = SLIP39.Wordlist.packedWord(at: word)
            let length = wordLength(at: word)
            let separator: UInt64 = position + 1 < words.count ? 0x20 : 0
            let lower = min(text.count, 5 * position)
            let upper = min(text.count, 9 * position + 9)
            for offset in lower..<upper {
                let distance = UInt64(offset) &- start
                var byte = ConstantTime.isZeroMask(distance ^ length) & separator
                for letter in 0..<8 {
                    byte |= ConstantTime.isZeroMask(distance ^ UInt64(letter)) & (packed >> (8 * UInt64(letter)))
                }
                text[offset] |= UInt8(truncatingIfNeeded: byte)
            }
            start &+= length &+ 1
        }
        start = 0
    }

    /// The length of the word at `index`, selected without a memory access indexed by it.
    private static func wordLength(at index: UInt16) -> UInt64 {
        var length: UInt64 = 0
        let wanted = UInt64(index)
        SLIP39.Wordlist.wordLengths.withUnsafeBufferPointer { lengths in
            for candidate in 0..<lengths.count {
                length |= ConstantTime.isZeroMask(UInt64(candidate) ^ wanted) & lengths[candidate]
            }
        }
        return length
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
