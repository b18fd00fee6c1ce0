import Foundation
import Testing

@testable import Shamir

@Suite struct CodecTests {
    @Test func crc32KnownAnswer() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        #expect([UInt8]().withUnsafeBytes { CRC32.checksum($0) } == 0)
    }

    @Test func hexAndBase64RoundTripAllBytesAndLengths() throws {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            let share = Share(x: 1, y: bytes)
            if length > 0 {
                #expect(try VaultShare.decode(VaultShare.encode(share)) == share)
            }
        }
        let all = (0...255).map { UInt8($0) }
        var text = [UInt8](repeating: 0, count: 512)
        var back = [UInt8](repeating: 0, count: 256)
        all.withUnsafeBytes { a in text.withUnsafeMutableBytes { ConstantTimeCodec.encodeHex(a, into: $0) } }
        #expect(String(decoding: text, as: UTF8.self) == Hex.encode(all))
        let ok = text.withUnsafeBytes { t in
            back.withUnsafeMutableBytes { ConstantTimeCodec.decodeHex(t, into: $0, allowUppercase: false) }
        }
        #expect(ok && back == all)
        // Base64 alphabet matches the standard one for every 6-bit value.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for v in 0..<64 {
            #expect(ConstantTimeCodec.base64Digit(v) == alphabet[v])
            #expect(ConstantTimeCodec.base64Value(alphabet[v]).value == v)
        }
        // Every non-alphabet byte is rejected.
        for c in 0...255 where !alphabet.contains(UInt8(c)) {
            #expect(ConstantTimeCodec.base64Value(UInt8(c)).valid == 0)
        }
        #expect(VaultShare.encode(Share(x: 0x49, y: [0xD3])) == "00k=")
    }

    /// The vector bulk path (lengths from 64 bytes) equals the word-by-word definition, for every alignment of the
    /// start and every length up to a few blocks, and for a long buffer with large words (wrap-around).
    /// `isBase64` (used to decide a vault line set's encoding) agrees with the decoder on every short string over
    /// a mixed alphabet, padding and bad characters included.
    /// Regression (constant-time check): `encodeHex` now runs on 16-byte vectors with a zero-padded last group, so
    /// every length from 0 to 3 groups and every tail length must give the reference encoding.
    @Test func vectorHexEncodingMatchesTheReferenceForEveryLength() {
        let nibbles = SIMD16<UInt8>((0..<16).map { UInt8($0) })
        let digits = ConstantTimeCodec.hexDigits(nibbles)
        #expect((0..<16).map { digits[$0] } == Array("0123456789abcdef".utf8))
        for length in 0...50 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 73 + 250) }
            var text = [UInt8](repeating: 0xEE, count: 2 * length)
            bytes.withUnsafeBytes { b in text.withUnsafeMutableBytes { ConstantTimeCodec.encodeHex(b, into: $0) } }
            #expect(String(decoding: text, as: UTF8.self) == Hex.encode(bytes), "length \(length)")
        }
    }

    @Test func isBase64AgreesWithTheDecoder() {
        let alphabet = Array("AQgw09+/=-_aZ".utf8)
        var rng = SplitMix64(seed: 31)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 9)
            let text = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            text.withUnsafeBytes { raw in
                var decodes = false
                if let count = ConstantTimeCodec.base64DecodedCount(raw) {
                    var out = [UInt8](repeating: 0, count: count)
                    decodes = out.withUnsafeMutableBytes { ConstantTimeCodec.decodeBase64(raw, into: $0) }
                }
                #expect(ConstantTimeCodec.isBase64(raw) == decodes, "\(String(decoding: text, as: UTF8.self))")
            }
        }
    }

    @Test func fileChecksumEqualsTheDefinition() {
        func definition(_ data: ArraySlice<UInt8>) -> [UInt8] {
            var a: UInt64 = 0
            var b: UInt64 = 0
            var padded = Array(data)
            while padded.count % 4 != 0 { padded.append(0) }
            for i in stride(from: 0, to: padded.count, by: 4) {
                let word =
                    UInt64(padded[i]) | UInt64(padded[i + 1]) << 8 | UInt64(padded[i + 2]) << 16
                    | UInt64(padded[i + 3]) << 24
                a &+= word
                b &+= a
            }
            return (0..<8).map { UInt8(truncatingIfNeeded: a >> UInt64(8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: b >> UInt64(8 * $0)) }
        }
        var rng = SplitMix64(seed: 17)
        var data = [UInt8](repeating: 0, count: 300)
        data.withUnsafeMutableBytes { rng.fill($0) }
        for start in 0..<4 {
            for end in stride(from: start, through: data.count, by: 7) {
                var c = FileChecksum()
                data[start..<end].withUnsafeBytes { c.update($0) }
                #expect(c.bytes == definition(data[start..<end]), "\(start)..<\(end)")
            }
        }
        let big = [UInt8](repeating: 0xFF, count: 1 << 20)
        var c = FileChecksum()
        big.withUnsafeBytes { c.update($0) }
        #expect(c.bytes == definition(big[...]))
    }

    /// Checksumming a header and a payload separately and joining them with `followed(by:)` equals checksumming
    /// the concatenation (what the streaming split relies on).
    @Test func fileChecksumFollowedByEqualsTheConcatenation() {
        var rng = SplitMix64(seed: 23)
        var data = [UInt8](repeating: 0, count: 5000)
        data.withUnsafeMutableBytes { rng.fill($0) }
        for head in [0, 4, 28, 100] {
            for tail in [0, 1, 3, 64, 65, 4000] {
                var whole = FileChecksum()
                data[0..<(head + tail)].withUnsafeBytes { whole.update($0) }
                var first = FileChecksum()
                var second = FileChecksum()
                data[0..<head].withUnsafeBytes { first.update($0) }
                data[head..<(head + tail)].withUnsafeBytes { second.update($0) }
                #expect(first.followed(by: second).bytes == whole.bytes, "\(head) + \(tail)")
            }
        }
    }

    @Test func fileChecksumIsStreamingInvariant() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        var whole = FileChecksum()
        data.withUnsafeBytes { whole.update($0) }
        for split in [1, 3, 4, 5, 8, 9, 500, 999] {
            var parts = FileChecksum()
            data.withUnsafeBytes {
                parts.update(UnsafeRawBufferPointer(rebasing: $0[0..<split]))
                parts.update(UnsafeRawBufferPointer(rebasing: $0[split...]))
            }
            #expect(parts == whole && parts.bytes == whole.bytes)
        }
        // One changed byte, or two swapped words, changes it.
        var changed = data
        changed[500] ^= 1
        var swapped = data
        swapped.swapAt(0, 4)
        for other in [changed, swapped] {
            var c = FileChecksum()
            other.withUnsafeBytes { c.update($0) }
            #expect(c.bytes != whole.bytes)
        }
    }
}

@Suite struct NativeShareTests {
    private func lines(seed: UInt64 = 1, secret: [UInt8] = Array("correct horse".utf8), k: Int = 3, n: Int = 5) throws
        -> [String]
    {
        var rng = SplitMix64(seed: seed)
        return try NativeShare.split(secret, threshold: k, shareCount: n, splitID: 0x5C2E_9A01, using: &rng)
    }

    @Test func lineLayoutAndRoundTrip() throws {
        let shares = try lines()
        #expect(shares.count == 5)
        #expect(shares[0].hasPrefix("escrow-share-v1-5c2e9a01-003-001-"))
        #expect(shares[4].hasPrefix("escrow-share-v1-5c2e9a01-003-005-"))
        #expect(shares[0].utf8.count == NativeShare.lineCount(payloadCount: 13))
        for subset in subsets(of: 5, size: 3) {
            #expect(try NativeShare.combine(lines: subset.map { shares[$0] }) == Array("correct horse".utf8))
        }
        // Blank lines are ignored; more than k shares are fine.
        #expect(
            try NativeShare.combine(lines: ["", shares[1], "  ", shares[3], shares[0], shares[2]])
                == Array("correct horse".utf8)
        )
        let decoded = try NativeShare.decodeLine(shares[2])
        #expect(decoded.share == (try NativeShare(splitID: 0x5C2E_9A01, threshold: 3, x: 3)))
    }

    /// Every single-character change, deletion, insertion of a hex digit, and adjacent swap is refused.
    @Test func everySingleCharacterErrorIsCaught() throws {
        let line = try lines(secret: [0x00, 0x01, 0xFE, 0xFF, 0x42])[1]
        let chars = Array(line.utf8)
        let alphabet = Array("0123456789abcdef-xA".utf8)
        var variants = [[UInt8]]()
        for i in chars.indices {
            for c in alphabet where c != chars[i] {
                var v = chars
                v[i] = c
                variants.append(v)
            }
            var dropped = chars
            dropped.remove(at: i)
            variants.append(dropped)
            var inserted = chars
            inserted.insert(UInt8(ascii: "7"), at: i)
            variants.append(inserted)
            if i + 1 < chars.count && chars[i] != chars[i + 1] {
                var swapped = chars
                swapped.swapAt(i, i + 1)
                variants.append(swapped)
            }
        }
        var accepted = 0
        for v in variants {
            if (try? NativeShare.decodeLine(String(decoding: v, as: UTF8.self))) != nil { accepted += 1 }
        }
        #expect(variants.count > 1000)
        #expect(accepted == 0)
    }

    @Test func refusalsNameTheLineAndCarryCodes() throws {
        let a = try lines(seed: 1)
        let b = try lines(seed: 2).map { $0.replacingOccurrences(of: "5c2e9a01", with: "00000000") }
        func code(_ lines: [String]) -> ShamirError? {
            do {
                _ = try NativeShare.combine(lines: lines)
                return nil
            } catch { return error }
        }
        var typo = Array(a[1].utf8)
        typo[40] = typo[40] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let cases: [([String], ShamirError.Code, String)] = [
            ([a[0], "", String(decoding: typo, as: UTF8.self), a[2]], .checksumMismatch, "line 3:"),
            ([a[0], String(a[1].dropLast(3)), a[2]], .malformedShare, "line 2:"),
            ([a[0], "hello", a[2]], .malformedShare, "line 2:"),
            (
                [a[0], a[1].replacingOccurrences(of: "-v1-", with: "-v2-")], .unsupportedVersion,
                "line 2: share format version 'v2'"
            ),
            ([a[0], a[1], b[2]], .checksumMismatch, "line 3:"),  // the id was edited, so its CRC fails
            ([a[0], a[0], a[2]], .duplicateCoordinate, "line 2 repeats"),
            ([a[0], a[3]], .tooFewShares, "needs 3"),
            ([], .tooFewShares, "no shares"),
        ]
        for (input, expected, fragment) in cases {
            let error = code(input)
            #expect(error?.code == expected, "\(fragment)")
            #expect(
                error?.message.contains(fragment) == true,
                "\(error?.message ?? "no error") should contain \(fragment)"
            )
        }
        // Regression (found by Fuzz/): the version field of an unknown version was echoed raw, so a line could put
        // control characters (terminal escapes, NUL, CR) into the one-line message. Now only a plain version is shown.
        for field in ["\u{1B}[31m", "\u{00}\u{01}", "2\r", "\u{9B}2J", "aVeryLongVersion"] {
            let line = "escrow-share-v" + field + "-" + a[0].dropFirst(16)
            let error = code([line])
            #expect(error?.code == .unsupportedVersion)
            #expect(error?.message.contains("version (unreadable)") == true, "\(error?.message ?? "")")
            #expect(error?.message.unicodeScalars.contains { $0.properties.generalCategory == .control } == false)
        }
        // Shares of another split (a genuine one, with its own id) are named as such.
        var rng = SplitMix64(seed: 3)
        let other = try NativeShare.split(
            Array("correct horse".utf8),
            threshold: 3,
            shareCount: 5,
            splitID: 7,
            using: &rng
        )
        let mixed = code([a[0], a[1], other[2]])
        #expect(mixed?.code == .mismatchedSplit)
        #expect(mixed?.message.contains("line 3 is from a different split than line 1") == true)
        let otherLength = try NativeShare.split([1, 2], threshold: 3, shareCount: 5, splitID: 0x5C2E_9A01, using: &rng)
        #expect(code([a[0], a[1], otherLength[2]])?.code == .inconsistentLengths)
        // k - 1 shares are refused before any combination.
        #expect(code([a[4], a[2]])?.code == .tooFewShares)
    }
}

@Suite struct ShareFileTests {
    @Test func headerRoundTripAndRefusals() throws {
        let share = try NativeShare(splitID: 0xDEAD_BEEF, threshold: 4, x: 9)
        let payload = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        var checksum = ShareFile.startChecksum(for: share, payloadCount: payload.count)
        payload.withUnsafeBytes { checksum.update($0) }
        var header = [UInt8](repeating: 0, count: ShareFile.headerCount)
        header.withUnsafeMutableBytes { ShareFile.encodeHeader(share, payloadCount: 300, checksum: checksum, into: $0) }
        #expect(Array(header[0..<16]) == Array("escrow-share".utf8) + [1, 4, 9, 0])
        let parsed = try header.withUnsafeBytes { try ShareFile.parseHeader($0, fileSize: 344, label: "s.9") }
        #expect(parsed.share == share && parsed.payloadCount == 300)
        try ShareFile.verify(checksum, against: parsed, label: "s.9")
        // A flipped payload byte fails the checksum.
        var damaged = ShareFile.startChecksum(for: share, payloadCount: 300)
        var bad = payload
        bad[17] ^= 0x80
        bad.withUnsafeBytes { damaged.update($0) }
        #expect(throws: ShamirError(.checksumMismatch, "")) {
            try ShareFile.verify(damaged, against: parsed, label: "s.9")
        }
        // Truncation, foreign files and other versions are refused, naming the file.
        #expect(throws: ShamirError(.malformedShare, "")) {
            try header.withUnsafeBytes { _ = try ShareFile.parseHeader($0, fileSize: 343, label: "s.9") }
        }
        #expect(throws: ShamirError(.malformedShare, "")) {
            try [UInt8](repeating: 0x41, count: 44).withUnsafeBytes {
                _ = try ShareFile.parseHeader($0, fileSize: 44, label: "x")
            }
        }
        var v2 = header
        v2[12] = 2
        #expect(throws: ShamirError(.unsupportedVersion, "")) {
            try v2.withUnsafeBytes { _ = try ShareFile.parseHeader($0, fileSize: 344, label: "s.9") }
        }
        // A damaged header field changes the checksum too.
        var other = ShareFile.startChecksum(
            for: try NativeShare(splitID: 0xDEAD_BEEF, threshold: 4, x: 8),
            payloadCount: 300
        )
        payload.withUnsafeBytes { other.update($0) }
        #expect(other.bytes != checksum.bytes)
    }
}

@Suite struct VaultLineEncodingTests {
    /// Regression (found by Fuzz/): the encoding was decided per line, so a base64 line of a short share whose
    /// characters all happen to be hex digits ("0AeD" = d0 07 83) was read as hex, and the set then failed, or with
    /// other shares combined to a wrong secret without an error. The encoding is now decided for the whole set.
    @Test func aBase64LineThatLooksLikeHexIsReadAsBase64InASet() throws {
        let a = Share(x: 0x83, y: [0xD0, 0x07])
        let b = Share(x: 0x05, y: [0x12, 0x34])
        #expect(VaultShare.encode(a) == "0AeD")  // only hex digits
        #expect(VaultShare.encode(b) == "EjQF")
        let expected = try Shamir.combine([a, b])
        #expect(try VaultShare.combine(lines: ["0AeD", "EjQF"]) == expected)
        #expect(try VaultShare.combine(lines: ["EjQF", "", "0AeD"]) == expected)
        // All-hex sets are hex (either case).
        #expect(try VaultShare.combine(lines: ["d00783", "123405"]) == expected)
        #expect(try VaultShare.combine(lines: ["D00783", "123405"]) == expected)
        // A hex line among base64 lines is refused, naming it; a line that is neither is named first.
        do {
            _ = try VaultShare.combine(lines: ["EjQF", "d00783"])
            Issue.record("a mixed set was accepted")
        } catch {
            #expect(error.code == .malformedShare && error.message.contains("line 2 is written in hex"))
        }
        do {
            _ = try VaultShare.combine(lines: ["d00783", "@@not a share@@", "EjQF"])
            Issue.record("garbage was accepted")
        } catch {
            #expect(error.code == .malformedShare && error.message.hasPrefix("line 2: not a vault share"))
        }
        // The decision itself.
        func decide(_ lines: [String]) throws -> VaultShare.LineEncoding {
            let arrays = lines.map { Array($0.utf8) }
            return try arrays[0].withUnsafeBytes { first in
                try arrays[1].withUnsafeBytes { second in
                    try VaultShare.encoding(ofLines: [first, second], labels: ["line 1", "line 2"])
                }
            }
        }
        #expect(try decide(["0AeD", "EjQF"]) == .base64)
        #expect(try decide(["d00783", "123405"]) == .hex)
        #expect(try decide(["EjQF", "EjQFAA"]) == .base64)  // "EjQFAA" is valid base64 (unused bits zero)
        // Odd length: not hex, and not valid base64 either.
        #expect(throws: ShamirError(.malformedShare, "")) { try decide(["d0078", "123405"]) }
    }
}
