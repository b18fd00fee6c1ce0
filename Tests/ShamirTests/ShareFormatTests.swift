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
        #expect(try NativeShare.combine(lines: ["", shares[1], "  ", shares[3], shares[0], shares[2]]) == Array("correct horse".utf8))
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
            ([a[0], a[1].replacingOccurrences(of: "-v1-", with: "-v2-")], .unsupportedVersion, "line 2:"),
            ([a[0], a[1], b[2]], .checksumMismatch, "line 3:"),  // the id was edited, so its CRC fails
            ([a[0], a[0], a[2]], .duplicateCoordinate, "line 2 repeats"),
            ([a[0], a[3]], .tooFewShares, "needs 3"),
            ([], .tooFewShares, "no shares"),
        ]
        for (input, expected, fragment) in cases {
            let error = code(input)
            #expect(error?.code == expected, "\(fragment)")
            #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error") should contain \(fragment)")
        }
        // Shares of another split (a genuine one, with its own id) are named as such.
        var rng = SplitMix64(seed: 3)
        let other = try NativeShare.split(Array("correct horse".utf8), threshold: 3, shareCount: 5, splitID: 7, using: &rng)
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
        #expect(throws: ShamirError(.checksumMismatch, "")) { try ShareFile.verify(damaged, against: parsed, label: "s.9") }
        // Truncation, foreign files and other versions are refused, naming the file.
        #expect(throws: ShamirError(.malformedShare, "")) {
            try header.withUnsafeBytes { _ = try ShareFile.parseHeader($0, fileSize: 343, label: "s.9") }
        }
        #expect(throws: ShamirError(.malformedShare, "")) {
            try [UInt8](repeating: 0x41, count: 44).withUnsafeBytes { _ = try ShareFile.parseHeader($0, fileSize: 44, label: "x") }
        }
        var v2 = header
        v2[12] = 2
        #expect(throws: ShamirError(.unsupportedVersion, "")) {
            try v2.withUnsafeBytes { _ = try ShareFile.parseHeader($0, fileSize: 344, label: "s.9") }
        }
        // A damaged header field changes the checksum too.
        var other = ShareFile.startChecksum(for: try NativeShare(splitID: 0xDEAD_BEEF, threshold: 4, x: 8), payloadCount: 300)
        payload.withUnsafeBytes { other.update($0) }
        #expect(other.bytes != checksum.bytes)
    }
}
