import Sodium
import Testing

@Suite struct RandomTests {
    @Test func streamRandomIsDeterministicPerSeedAndNeverRepeats() throws {
        let seed = SecureBytes(copying: [UInt8](repeating: 1, count: 32))
        let a = try StreamRandom(seed: seed)
        let b = try StreamRandom(seed: SecureBytes(copying: [UInt8](repeating: 1, count: 32)))
        var x = [UInt8](repeating: 0, count: 64)
        var y = [UInt8](repeating: 0, count: 64)
        x.withUnsafeMutableBytes { a.fill($0) }
        y.withUnsafeMutableBytes { b.fill($0) }
        #expect(x == y)
        // The next fill continues the stream with a new nonce: different bytes.
        var z = [UInt8](repeating: 0, count: 64)
        z.withUnsafeMutableBytes { a.fill($0) }
        #expect(z != x)
        // Copies share one position.
        let copy = a
        var w = [UInt8](repeating: 0, count: 64)
        w.withUnsafeMutableBytes { copy.fill($0) }
        #expect(w != z && w != x)
        #expect(throws: SodiumError(.invalidLength, "")) { try StreamRandom(seed: SecureBytes(count: 16)) }
    }

    @Test func streamRandomMatchesChaCha20IETFKeystream() throws {
        // The first fill uses nonce 0: the keystream of key 00..1f, 96-bit nonce 0, block counter 0, as computed
        // independently with Python `cryptography` (ChaCha20 IETF).
        let key = SecureBytes(copying: (0..<32).map { UInt8($0) })
        let stream = try StreamRandom(seed: key)
        var first = [UInt8](repeating: 0, count: 16)
        first.withUnsafeMutableBytes { stream.fill($0) }
        #expect(first.hex == Self.expectedFirstBlockPrefix)
    }

    static let expectedFirstBlockPrefix = "39fd2b7dd9c5196a8dbd0377b8dc4a49"

    @Test func byteDistributionIsRoughlyUniform() {
        let stream = StreamRandom()
        var bytes = [UInt8](repeating: 0, count: 256 * 1024)
        bytes.withUnsafeMutableBytes { stream.fill($0) }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        let expected = Double(bytes.count) / 256
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // 255 degrees of freedom: p = 1e-6 critical value is about 375.
        #expect(chiSquare < 375)
    }

    @Test func uniformRandomStaysInRange() {
        for _ in 0..<1000 { #expect(Sodium.uniformRandom(7) < 7) }
        #expect(Sodium.randomBytes(24).count == 24)
        #expect(Sodium.randomBytes(32) != Sodium.randomBytes(32))
    }

    @Test func passwordsUseOnlyTheAlphabetAndCoverIt() {
        let alphabet = Array("abc123".utf8)
        let password = Sodium.randomPassword(length: 600, alphabet: alphabet)
        let chars = password.withUnsafeBytes { Array($0) }
        #expect(chars.count == 600)
        #expect(chars.allSatisfy { alphabet.contains($0) })
        #expect(Set(chars) == Set(alphabet))
    }
}
