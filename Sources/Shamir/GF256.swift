/// Scalar arithmetic in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (0x11B), without tables and without branches.
///
/// Used for public values (Lagrange weights, x powers) and as the reference the bitsliced kernels are tested
/// against. Every function is branch-free, so it is also safe on secret operands.
enum GF256 {
    /// Multiplies by x (the byte 0x02): a shift and a conditional reduction, done with a mask.
    @inline(__always)
    static func timesX(_ a: UInt8) -> UInt8 {
        (a &<< 1) ^ (0 &- (a &>> 7)) & 0x1B
    }

    /// The product `a • b` in GF(2^8), eight masked shift-and-add rounds.
    @inline(__always)
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product: UInt8 = 0
        var addend = a
        var bits = b
        for _ in 0..<8 {
            product ^= addend & (0 &- (bits & 1))
            addend = timesX(addend)
            bits &>>= 1
        }
        return product
    }

    /// The multiplicative inverse `a^254` (so 0 maps to 0), by a fixed square-and-multiply chain.
    static func inverse(_ a: UInt8) -> UInt8 {
        // a^254 = a^(2+4+8+16+32+64+128): square seven times, multiplying the squares together.
        var square = multiply(a, a)  // a^2
        var result = square
        for _ in 0..<6 {
            square = multiply(square, square)  // a^4, a^8, ..., a^128
            result = multiply(result, square)
        }
        return result
    }

    /// The quotient `a / b`; `b` must be non-zero.
    static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        assert(b != 0, "division by zero in GF(256)")
        return multiply(a, inverse(b))
    }
}
