import Testing

@testable import SLIP39

@Suite struct MnemonicCodecTests {
    /// The mnemonics of `intermediates.json`, paired with their expected layers.
    static func pairs() throws -> [(String, Vectors.Intermediates.Share)] {
        let published = Dictionary(uniqueKeysWithValues: try Vectors.published().map { ($0.description, $0.mnemonics) })
        return try Vectors.intermediates().flatMap { vector in
            zip(published[vector.description] ?? [], vector.shares).map { ($0, $1) }
        }
    }

    private func indices(of text: String) throws -> [UInt16] {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBytes { raw throws(SLIP39Error) -> [UInt16] in
            let text = UnsafeRawBufferPointer(raw)
            let count = MnemonicCodec.wordCount(in: text)
            #expect(count == MnemonicCodec.wordRanges(in: text).count)
            var out = [UInt16](repeating: 0, count: count)
            try out.withUnsafeMutableBufferPointer { buffer throws(SLIP39Error) in
                try MnemonicCodec.lookUpWords(in: text, into: buffer, label: "line 7")
            }
            return out
        }
    }

    @Test func everyLayerOfEveryIntermediateShare() throws {
        let pairs = try Self.pairs()
        #expect(pairs.count == 35)  // 15 valid vectors, 35 mnemonics
        for (mnemonic, expected) in pairs {
            let words = try indices(of: mnemonic)
            #expect(words.map(Int.init) == expected.wordIndices)

            let header = words.withUnsafeBufferPointer { MnemonicCodec.decodeHeader($0) }
            #expect(header.identifier == expected.identifier)
            #expect(header.isExtendable == expected.extendable)
            #expect(header.iterationExponent == expected.iterationExponent)
            #expect(header.groupIndex == expected.groupIndex)
            #expect(header.groupThreshold == expected.groupThreshold)
            #expect(header.groupCount == expected.groupCount)
            #expect(header.memberIndex == expected.memberIndex)
            #expect(header.memberThreshold == expected.memberThreshold)

            let layout = try #require(MnemonicCodec.valueLayout(wordCount: words.count))
            let valueWords = Array(words[4..<(words.count - 3)])
            var value = [UInt8](repeating: 0, count: layout.byteCount)
            let paddingIsZero = valueWords.withUnsafeBufferPointer { valueWords in
                value.withUnsafeMutableBytes {
                    MnemonicCodec.unpackValue(valueWords, paddingBitCount: layout.paddingBitCount, into: $0)
                }
            }
            #expect(paddingIsZero)
            #expect(Hex.encode(value) == expected.shareValueHex)

            // And back: header + value + checksum give the same words and the same text.
            var rebuilt = [UInt16](repeating: 0, count: words.count)
            rebuilt.withUnsafeMutableBufferPointer { MnemonicCodec.encodeHeader(header, into: $0) }
            rebuilt.withUnsafeMutableBufferPointer { all in
                value.withUnsafeBytes {
                    MnemonicCodec.packValue($0, into: UnsafeMutableBufferPointer(rebasing: all[4..<(words.count - 3)]))
                }
                let data = UnsafeBufferPointer(rebasing: all[0..<(words.count - 3)])
                RS1024.writeChecksum(
                    of: data,
                    customization: Array(expected.checksumCustomization.utf8),
                    into: UnsafeMutableBufferPointer(rebasing: all[(words.count - 3)...])
                )
            }
            #expect(rebuilt == words)
            let text = rebuilt.withUnsafeBufferPointer { words in
                var text = [UInt8](repeating: 0, count: MnemonicCodec.textByteCount(of: words))
                text.withUnsafeMutableBytes { MnemonicCodec.writeText(of: words, into: $0) }
                return String(decoding: text, as: UTF8.self)
            }
            #expect(text == mnemonic)
        }
    }

    @Test func wordsAreSplitOnAnyAsciiWhitespaceAndCaseIsIgnored() throws {
        let words = try indices(of: "  ACADEMIC\tacid\r\nAcNe   \n")
        #expect(words == [0, 1, 2])
    }

    /// The branch-free splitter: words longer than eight letters, an eight-letter prefix of a longer token, NUL and
    /// non-ASCII bytes inside a token, and every separator at both ends.
    @Test func branchFreeSplitterRefusesWhatIsNotAWord() throws {
        #expect(try indices(of: "\u{0B}\u{0C}academic\u{0B}acid\u{0C}") == [0, 1])
        #expect(try indices(of: "zero") == [1023])
        #expect(MnemonicCodec.wordCount(in: UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
        for text in ["academics acid", "academic acid\u{0}", "acid academicx", "aci\u{0}d", "acidé", "ac", "acidacid"] {
            #expect(throws: SLIP39Error.self, "\(text)") { _ = try indices(of: text) }
        }
    }

    /// Every word of the list, in every position of a text, round-trips through the branch-free writer and splitter.
    @Test func everyWordRoundTripsThroughTheText() throws {
        for first in stride(from: 0, to: 1024, by: 33) {
            let words = (0..<33).map { UInt16((first + $0) % 1024) }
            let text = words.withUnsafeBufferPointer { words in
                var text = [UInt8](repeating: 0, count: MnemonicCodec.textByteCount(of: words))
                text.withUnsafeMutableBytes { MnemonicCodec.writeText(of: words, into: $0) }
                return String(decoding: text, as: UTF8.self)
            }
            #expect(text == words.map { SLIP39.Wordlist.words[Int($0)] }.joined(separator: " "))
            #expect(try indices(of: text) == words)
            #expect(try indices(of: "\n" + text.uppercased().split(separator: " ").joined(separator: " \t ")) == words)
        }
    }

    @Test func unknownWordNamesPositionAndSuggestion() {
        #expect {
            _ = try indices(of: "academic acid acnee adapt")
        } throws: { error in
            guard let error = error as? SLIP39Error else { return false }
            return error.code == .unknownWord
                && error.message == "line 7: word 3 is not in the SLIP-39 word list (did you mean \"acne\"?)"
        }
    }

    @Test func valueLayoutFollowsTheLengthRules() {
        // 20 words: 130 value bits, 2 padding bits, 16 bytes. 33 words: 260 bits, 4 padding, 32 bytes.
        #expect(MnemonicCodec.valueLayout(wordCount: 20)! == (2, 16))
        #expect(MnemonicCodec.valueLayout(wordCount: 33)! == (4, 32))
        #expect(MnemonicCodec.valueLayout(wordCount: 22)! == (6, 18))
        // 21 words: 140 bits, 12 padding bits > 8: would be an odd byte count.
        #expect(MnemonicCodec.valueLayout(wordCount: 21) == nil)
        #expect(MnemonicCodec.valueLayout(wordCount: 7) == nil)
    }

    @Test func packAndUnpackRoundTripEveryEvenLength() {
        var rng = SplitMix64(seed: 7)
        for byteCount in stride(from: 2, through: 80, by: 2) {
            let value = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var words = [UInt16](repeating: 0, count: SLIP39.valueWordCount(byteCount: byteCount))
            value.withUnsafeBytes { raw in
                words.withUnsafeMutableBufferPointer { MnemonicCodec.packValue(raw, into: $0) }
            }
            #expect(words.allSatisfy { $0 < 1024 })
            let layout = try! #require(MnemonicCodec.valueLayout(wordCount: words.count + SLIP39.metadataWordCount))
            #expect(layout.byteCount == byteCount)
            var back = [UInt8](repeating: 0, count: byteCount)
            let ok = words.withUnsafeBufferPointer { words in
                back.withUnsafeMutableBytes {
                    MnemonicCodec.unpackValue(words, paddingBitCount: layout.paddingBitCount, into: $0)
                }
            }
            #expect(ok)
            #expect(back == value)
        }
    }

    @Test func nonZeroPaddingIsReported() {
        // 13 value words for 16 bytes: the 2 leading bits are padding.
        var words = [UInt16](repeating: 0, count: 13)
        words[0] = 0b01_0000_0000
        var out = [UInt8](repeating: 0, count: 16)
        let ok = words.withUnsafeBufferPointer { words in
            out.withUnsafeMutableBytes { MnemonicCodec.unpackValue(words, paddingBitCount: 2, into: $0) }
        }
        #expect(!ok)
    }
}
