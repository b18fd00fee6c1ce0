import Testing

@testable import Escrow

@Suite struct EncodingTests {
    // RFC 4648 §10 vectors, adapted to the url alphabet without padding.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func base64URLVectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64URLUsesTheURLAlphabetAndIsStrict() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("+/8") == nil)  // standard alphabet refused
        #expect(Base64URL.decode("Zg==") == nil)  // padding refused
        #expect(Base64URL.decode("Zh") == nil)  // non-zero leftover bits: not canonical
        #expect(Base64URL.decode("Z") == nil)  // impossible length
        #expect(Base64URL.decode("Zm 9v") == nil)
    }

    @Test func base64URLRoundTripsRandomBytes() {
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    /// The fast decoder against a bit-at-a-time reference on every string of up to three characters (all leftover
    /// bit patterns) and on random strings with invalid characters mixed in.
    @Test func base64URLDecoderMatchesAReference() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        func reference(_ text: [UInt8]) -> [UInt8]? {
            guard text.count % 4 != 1 else { return nil }
            var output: [UInt8] = []
            var accumulator: UInt32 = 0
            var bits = 0
            for character in text {
                guard let value = alphabet.firstIndex(of: character) else { return nil }
                accumulator = accumulator << 6 | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                    accumulator &= (1 << UInt32(bits)) - 1
                }
            }
            return accumulator == 0 ? output : nil
        }
        var mismatches = 0
        var accepted = 0
        for a in alphabet {
            for b in alphabet {
                let pair = [a, b]
                if Base64URL.decode(String(decoding: pair, as: UTF8.self)) != reference(pair) { mismatches += 1 }
                for c in alphabet {
                    let triple = [a, b, c]
                    let decoded = Base64URL.decode(String(decoding: triple, as: UTF8.self))
                    if decoded != reference(triple) { mismatches += 1 }
                    if decoded != nil { accepted += 1 }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(accepted == 64 * 64 * 16)  // three characters carry 18 bits: the last 2 must be zero
        let noisy = alphabet + Array("=+/ .\n\u{7F}".utf8) + [0xC3, 0xA9]
        var random = LedgerSplitMix(seed: 0xB64)
        for _ in 0..<3_000 {
            let length = Int(random.next() % 40)
            let text = (0..<length).map { _ in
                random.next() % 50 == 0
                    ? noisy[Int(random.next() % UInt64(noisy.count))] : alphabet[Int(random.next() % 64)]
            }
            guard let string = String(validating: text, as: UTF8.self) else { continue }
            if Base64URL.decode(string) != reference(text) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func hex() {
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(Hex.decode("00abff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("00ABFF") == nil)
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (59, "1970-01-01T00:00:59Z"), (1_111_111_109, "2005-03-18T01:58:29Z"),
        (1_234_567_890, "2009-02-13T23:31:30Z"), (2_000_000_000, "2033-05-18T03:33:20Z"),
        (20_000_000_000, "2603-10-11T11:33:20Z"), (951_782_400, "2000-02-29T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
    ])
    func utcTime(seconds: Int64, text: String) {
        #expect(UTCTime(secondsSinceEpoch: seconds).description == text)
        #expect(UTCTime(text)?.secondsSinceEpoch == seconds)
    }

    @Test(arguments: [
        "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00",
    ])
    func utcTimeRefusesInvalid(text: String) {
        #expect(UTCTime(text) == nil)
    }

    @Test func names() {
        #expect(throws: Never.self) { try NameRules.validateCustodianName("ci-bot.2_x") }
        expectEscrowError(.invalidInput) { try NameRules.validateCustodianName("Alice") }
        expectEscrowError(.invalidInput) { try NameRules.validateVaultName(".hidden") }
        expectEscrowError(.invalidInput) { try NameRules.validateVaultName("a/b") }
        expectEscrowError(.invalidInput) { try NameRules.validateVaultName("") }
        expectEscrowError(.invalidInput) { try NameRules.validateVaultName(String(repeating: "a", count: 65)) }
        #expect(throws: Never.self) { try NameRules.validateEntryName("MFA.virtual-1") }
        expectEscrowError(.invalidInput) { try NameRules.validateEntryName("root password") }
    }
}
