import Shamir

// TEMPORARY: a minimal scalar stand-in for `Shamir.interpolate(at:xs:rows:into:)`, which is being written on the
// `shamir` branch. Delete this file once that API is on main and point `SLIP39.interpolate` at it.

/// Lagrange interpolation over GF(2⁸)/0x11B with the signature and errors of `Shamir.interpolate`.
enum InterpolationStandIn {
    /// Evaluates at `x` the polynomial through `(xs[i], row i)`, byte by byte; constant time in the row bytes.
    static func interpolate(
        at x: UInt8,
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into result: UnsafeMutableRawBufferPointer
    ) throws(ShamirError) {
        guard !xs.isEmpty else { throw ShamirError(.tooFewShares, "at least one share is needed to interpolate") }
        guard Set(xs).count == xs.count else { throw ShamirError(.duplicateCoordinate, "x-coordinates repeat") }
        guard rows.count == xs.count * result.count else {
            throw ShamirError(.bufferSizeMismatch, "the share rows have \(rows.count) bytes")
        }
        for offset in 0..<result.count { result[offset] = 0 }
        for i in xs.indices {
            // The weight depends only on the public coordinates.
            var numerator: UInt8 = 1
            var denominator: UInt8 = 1
            for j in xs.indices where j != i {
                numerator = multiply(numerator, x ^ xs[j])
                denominator = multiply(denominator, xs[i] ^ xs[j])
            }
            let weight = multiply(numerator, inverse(denominator))
            let row = i * result.count
            for offset in 0..<result.count { result[offset] ^= multiply(weight, rows[row + offset]) }
        }
    }

    /// Branch-free multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x + 1.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var product: UInt8 = 0
        for _ in 0..<8 {
            product ^= a & (0 &- (b & 1))
            a = (a << 1) ^ (0x1B & (0 &- (a >> 7)))
            b >>= 1
        }
        return product
    }

    /// The multiplicative inverse (a²⁵⁴); only ever applied to public values.
    static func inverse(_ a: UInt8) -> UInt8 {
        var result: UInt8 = 1
        for _ in 0..<254 { result = multiply(result, a) }
        return result
    }
}
