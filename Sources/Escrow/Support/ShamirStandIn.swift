import Shamir
import Sodium

// TEMPORARY: a minimal stand-in for the Shamir core's raw-buffer API while it is written on the `shamir` branch.
// Same signatures as the announced `Shamir.split` / `Shamir.combine`; deleted once `git merge main` brings the real one.

/// Stand-in for the `Shamir` core's raw-buffer split/combine (AES field 0x11B, constant time in secret data).
enum ShamirStandIn {
    private static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product: UInt8 = 0
        var a = a
        var b = b
        for _ in 0..<8 {
            product ^= a & (0 &- (b & 1))
            let carry = 0 &- (a >> 7)
            a = (a << 1) ^ (0x1B & carry)
            b >>= 1
        }
        return product
    }

    private static func inverse(_ a: UInt8) -> UInt8 {
        // a^254 by square-and-multiply; only ever applied to public values (x-coordinates).
        var result: UInt8 = 1
        var base = a
        var exponent = 254
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }

    static func split(
        _ secret: UnsafeRawBufferPointer,
        threshold: Int,
        xs: [UInt8],
        into shares: UnsafeMutableRawBufferPointer,
        using rng: inout some RandomSource
    ) throws(ShamirError) {
        guard threshold >= 2, threshold <= xs.count, xs.count <= 255 else {
            throw ShamirError(.invalidThreshold, "threshold \(threshold) is not in 2...\(xs.count)")
        }
        guard !secret.isEmpty else { throw ShamirError(.emptySecret, "the secret is empty") }
        guard shares.count == xs.count * secret.count else {
            throw ShamirError(.bufferSizeMismatch, "share buffer has \(shares.count) bytes")
        }
        guard !xs.contains(0) else { throw ShamirError(.zeroCoordinate, "x = 0 is the secret itself") }
        guard Set(xs).count == xs.count else { throw ShamirError(.duplicateCoordinate, "duplicate x-coordinate") }
        let coefficients = SecureBytes(count: threshold - 1)
        for byteIndex in 0..<secret.count {
            coefficients.withUnsafeMutableBytes { rng.fill($0) }
            coefficients.withUnsafeBytes { c in
                for (row, x) in xs.enumerated() {
                    var y: UInt8 = 0
                    for degree in stride(from: threshold - 2, through: 0, by: -1) {
                        y = multiply(y, x) ^ c[degree]
                    }
                    y = multiply(y, x) ^ secret[byteIndex]
                    shares[row * secret.count + byteIndex] = y
                }
            }
        }
    }

    static func combine(
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into secret: UnsafeMutableRawBufferPointer
    ) throws(ShamirError) {
        guard xs.count >= 2 else { throw ShamirError(.tooFewShares, "at least 2 shares are needed") }
        guard !xs.contains(0) else { throw ShamirError(.zeroCoordinate, "x = 0 is the secret itself") }
        guard Set(xs).count == xs.count else { throw ShamirError(.duplicateCoordinate, "duplicate x-coordinate") }
        guard rows.count == xs.count * secret.count else {
            throw ShamirError(.bufferSizeMismatch, "rows have \(rows.count) bytes")
        }
        var weights = [UInt8](repeating: 0, count: xs.count)
        for (i, xi) in xs.enumerated() {
            var numerator: UInt8 = 1
            var denominator: UInt8 = 1
            for (j, xj) in xs.enumerated() where j != i {
                numerator = multiply(numerator, xj)
                denominator = multiply(denominator, xi ^ xj)
            }
            weights[i] = multiply(numerator, inverse(denominator))
        }
        for byteIndex in 0..<secret.count {
            var value: UInt8 = 0
            for row in 0..<xs.count {
                value ^= multiply(rows[row * secret.count + byteIndex], weights[row])
            }
            secret[byteIndex] = value
        }
    }
}
