import Sodium

extension SLIP39.Share {
    /// Decodes a mnemonic and checks every rule that applies to a single share.
    ///
    /// Words are separated by any ASCII whitespace and matched without regard to ASCII case. The checks run in
    /// the order of the reference implementation: word list, length, checksum, group threshold ≤ group count,
    /// padding.
    ///
    /// - Parameters:
    ///   - mnemonic: The mnemonic as UTF-8 text (for example one line of a file, read into guarded memory).
    ///   - label: How to name the mnemonic in messages, e.g. `line 3`; it is also kept in ``label``.
    /// - Throws: ``SLIP39Error/Code/invalidMnemonic`` (no words), ``SLIP39Error/Code/unknownWord`` (with the
    ///   closest word as a suggestion), ``SLIP39Error/Code/invalidLength``, ``SLIP39Error/Code/invalidChecksum``,
    ///   ``SLIP39Error/Code/invalidThreshold``, ``SLIP39Error/Code/invalidPadding``.
    /// - Complexity: O(words × 1024) for the constant-time word lookup.
    public init(mnemonic: UnsafeRawBufferPointer, label: String? = nil) throws(SLIP39Error) {
        let prefix = label.map { "\($0): " } ?? ""
        let wordCount = MnemonicCodec.wordCount(in: mnemonic)
        guard wordCount > 0 else { throw SLIP39Error(.invalidMnemonic, "\(prefix)the mnemonic has no words") }
        guard wordCount <= SLIP39.maximumWordCount else {
            throw SLIP39Error(
                .invalidLength,
                "\(prefix)\(wordCount) words is too long for a SLIP-39 mnemonic (at most \(SLIP39.maximumWordCount))"
            )
        }
        let words = SecureBytes(count: wordCount * MemoryLayout<UInt16>.stride)
        let decoded = try words.withUnsafeMutableBytes { raw throws(SLIP39Error) -> (ShareHeader, SecureBytes) in
            let words = raw.bindMemory(to: UInt16.self)
            try MnemonicCodec.lookUpWords(in: mnemonic, into: words, label: label ?? "mnemonic")
            // The header words (identifier, flags, indices, thresholds) are public metadata of every share.
            for position in 0..<min(wordCount, SLIP39.identifierWordCount + SLIP39.shareParametersWordCount) {
                words[position] = UInt16(ConstantTime.declassify(UInt64(words[position]), bitCount: 10))
            }
            return try Self.decode(UnsafeBufferPointer(words), prefix: prefix)
        }
        self.init(header: decoded.0, value: decoded.1, label: label)
    }

    /// Decodes a mnemonic held in guarded memory (see `init(mnemonic:label:)`).
    ///
    /// - Parameters:
    ///   - mnemonic: The mnemonic as UTF-8 text.
    ///   - label: How to name the mnemonic in messages, e.g. `line 3`.
    /// - Throws: The errors of `init(mnemonic:label:)`.
    public init(mnemonic: SecureBytes, label: String? = nil) throws(SLIP39Error) {
        self = try mnemonic.withUnsafeBytes { bytes throws(SLIP39Error) in try Self(mnemonic: bytes, label: label) }
    }

    /// Decodes a mnemonic given as a `String` (tests, tools; prefer guarded memory for real shares).
    ///
    /// - Parameters:
    ///   - mnemonic: The mnemonic.
    ///   - label: How to name the mnemonic in messages, e.g. `line 3`.
    /// - Throws: The errors of `init(mnemonic:label:)`.
    public init(mnemonic: String, label: String? = nil) throws(SLIP39Error) {
        var mnemonic = mnemonic
        let text = mnemonic.withUTF8 { SecureBytes(copying: UnsafeRawBufferPointer($0)) }
        self = try Self(mnemonic: text, label: label)
    }

    /// Checks and decodes the word indices of a whole mnemonic.
    private static func decode(
        _ words: UnsafeBufferPointer<UInt16>,
        prefix: String
    ) throws(SLIP39Error) -> (ShareHeader, SecureBytes) {
        guard words.count >= SLIP39.minimumWordCount else {
            throw SLIP39Error(
                .invalidLength,
                "\(prefix)\(words.count) words is too short: a SLIP-39 mnemonic has at least \(SLIP39.minimumWordCount) words"
            )
        }
        guard let layout = MnemonicCodec.valueLayout(wordCount: words.count) else {
            throw SLIP39Error(
                .invalidLength,
                "\(prefix)\(words.count) words is not a valid SLIP-39 length (20 words for 128 bits, 33 for 256 bits)"
            )
        }
        let header = MnemonicCodec.decodeHeader(words)
        let customization = header.isExtendable ? SLIP39.extendableCustomization : SLIP39.customization
        guard ConstantTime.declassify(RS1024.isValid(words, customization: customization)) else {
            throw SLIP39Error(
                .invalidChecksum,
                "\(prefix)checksum mismatch: a word is mistyped, missing or out of order, or the copy is damaged"
            )
        }
        guard header.groupThreshold <= header.groupCount else {
            throw SLIP39Error(
                .invalidThreshold,
                "\(prefix)group threshold \(header.groupThreshold) exceeds the group count \(header.groupCount)"
            )
        }
        let valueWords = UnsafeBufferPointer(
            rebasing: words[
                (SLIP39.identifierWordCount + SLIP39.shareParametersWordCount)..<(words.count - SLIP39.checksumWordCount)
            ]
        )
        let value = SecureBytes(count: layout.byteCount)
        let paddingIsZero = value.withUnsafeMutableBytes { value in
            MnemonicCodec.unpackValue(valueWords, paddingBitCount: layout.paddingBitCount, into: value)
        }
        guard ConstantTime.declassify(paddingIsZero) else {
            throw SLIP39Error(
                .invalidPadding,
                "\(prefix)invalid padding: the bits in front of the share value must be zero"
            )
        }
        return (header, value)
    }

    /// The word indices of this share's mnemonic, checksum included, as `UInt16` values in guarded memory.
    func wordIndices() -> SecureBytes {
        let valueWordCount = SLIP39.valueWordCount(byteCount: value.count)
        let dataCount = SLIP39.identifierWordCount + SLIP39.shareParametersWordCount + valueWordCount
        let wordCount = dataCount + SLIP39.checksumWordCount
        let words = SecureBytes(count: wordCount * MemoryLayout<UInt16>.stride)
        words.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt16.self)
            MnemonicCodec.encodeHeader(header, into: words)
            value.withUnsafeBytes { value in
                MnemonicCodec.packValue(value, into: UnsafeMutableBufferPointer(rebasing: words[4..<dataCount]))
            }
            RS1024.writeChecksum(
                of: UnsafeBufferPointer(rebasing: words[0..<dataCount]),
                customization: header.isExtendable ? SLIP39.extendableCustomization : SLIP39.customization,
                into: UnsafeMutableBufferPointer(rebasing: words[dataCount...])
            )
        }
        return words
    }

    /// The share's mnemonic: its words separated by single spaces, as UTF-8 in guarded memory (no line break).
    ///
    /// - Returns: 20 words for a 128-bit secret, 33 for a 256-bit one.
    public func mnemonic() -> SecureBytes {
        let words = wordIndices()
        return words.withUnsafeBytes { raw in
            let words = raw.bindMemory(to: UInt16.self)
            let text = SecureBytes(count: MnemonicCodec.textByteCount(of: words))
            text.withUnsafeMutableBytes { MnemonicCodec.writeText(of: words, into: $0) }
            return text
        }
    }
}
