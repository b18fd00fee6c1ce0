import Sodium
import Testing

@testable import SLIP39

/// SplitSecret / RecoverSecret byte for byte against `split_secret_fake_rng.json` (the fake generator returns
/// (17 × i) mod 256 on every call).
@Suite struct SplitSecretTests {
    static let cases: [Vectors.FakeRNGFile.Case] = (try? Vectors.fakeRNGCases()) ?? []

    @Test func casesAreLoaded() {
        #expect(Self.cases.count == 2)
    }

    @Test(arguments: cases)
    func splitMatchesByteForByte(testCase: Vectors.FakeRNGFile.Case) throws {
        let secret = Hex.decode(testCase.secretHex)
        let length = secret.count
        var random = FakeRandom()
        var shares = [UInt8](repeating: 0, count: testCase.shareCount * length)
        secret.withUnsafeBytes { secret in
            shares.withUnsafeMutableBytes {
                SLIP39.splitSecret(
                    threshold: testCase.threshold,
                    shareCount: testCase.shareCount,
                    secret: secret,
                    into: $0,
                    using: &random
                )
            }
        }
        // T − 2 random rows of n bytes, then n − 4 bytes of R: one call each.
        #expect(random.calls == Array(repeating: length, count: testCase.threshold - 2) + [length - 4])
        #expect(testCase.shares.count == testCase.shareCount)
        for point in testCase.shares {
            let row = Array(shares[(point.x * length)..<((point.x + 1) * length)])
            #expect(Hex.encode(row) == point.yHex, "x = \(point.x)")
        }

        // The digest share: interpolating the shares at 254 gives HMAC(R, S)[0..<4] ‖ R.
        let xs = testCase.recoverWithIndexes.map { UInt8($0) }
        let rows = testCase.recoverWithIndexes.flatMap { Array(shares[($0 * length)..<(($0 + 1) * length)]) }
        var digestShare = [UInt8](repeating: 0, count: length)
        rows.withUnsafeBytes { rows in
            digestShare.withUnsafeMutableBytes { SLIP39.interpolate(at: 254, xs: xs, rows: rows, into: $0) }
        }
        #expect(Hex.encode(digestShare) == testCase.digestShareX254Hex)
        #expect(Hex.encode(digestShare.prefix(4)) == testCase.digestCheck.digestHex)
        #expect(Hex.encode(digestShare.dropFirst(4)) == testCase.digestCheck.randomPartRHex)
        let tag = HMACSHA256.authenticate(secret, key: Hex.decode(testCase.digestCheck.randomPartRHex))
        #expect(Hex.encode(tag.prefix(4)) == testCase.digestCheck.digestHex)

        // Recovery from the listed subset gives the secret back and accepts the digest.
        var recovered = [UInt8](repeating: 0, count: length)
        let digestMatches = rows.withUnsafeBytes { rows in
            recovered.withUnsafeMutableBytes {
                SLIP39.recoverSecret(threshold: testCase.threshold, xs: xs, rows: rows, into: $0)
            }
        }
        #expect(digestMatches)
        #expect(recovered == secret)
    }

    @Test(arguments: cases)
    func everyThresholdSubsetRecoversAndATamperedRowIsCaught(testCase: Vectors.FakeRNGFile.Case) {
        let secret = Hex.decode(testCase.secretHex)
        let length = secret.count
        let all = testCase.shares.map { Hex.decode($0.yHex) }
        var rng = SplitMix64(seed: 254)
        for _ in 0..<20 {
            let subset = Array((0..<testCase.shareCount).shuffled(using: &rng).prefix(testCase.threshold))
            var rows = subset.flatMap { all[$0] }
            var recovered = [UInt8](repeating: 0, count: length)
            let ok = rows.withUnsafeBytes { rows in
                recovered.withUnsafeMutableBytes {
                    SLIP39.recoverSecret(
                        threshold: testCase.threshold,
                        xs: subset.map { UInt8($0) },
                        rows: rows,
                        into: $0
                    )
                }
            }
            #expect(ok && recovered == secret)
            rows[Int(rng.next() % UInt64(rows.count))] ^= 0x01
            let stillOK = rows.withUnsafeBytes { rows in
                recovered.withUnsafeMutableBytes {
                    SLIP39.recoverSecret(
                        threshold: testCase.threshold,
                        xs: subset.map { UInt8($0) },
                        rows: rows,
                        into: $0
                    )
                }
            }
            #expect(!stillOK)
        }
    }

    @Test func thresholdOneCopiesTheSecret() {
        let secret = Array(UInt8(0)..<16)
        var random = FakeRandom()
        var shares = [UInt8](repeating: 0, count: 3 * 16)
        secret.withUnsafeBytes { secret in
            shares.withUnsafeMutableBytes {
                SLIP39.splitSecret(threshold: 1, shareCount: 3, secret: secret, into: $0, using: &random)
            }
        }
        #expect(random.calls.isEmpty)
        #expect(shares == secret + secret + secret)
    }
}

extension Vectors.FakeRNGFile.Case: CustomStringConvertible {
    var description: String { "\(threshold)-of-\(shareCount), \(secretHex.count / 2) bytes" }
}
