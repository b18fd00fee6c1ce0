/// 128 bytes of field elements in bitsliced form: plane *j* holds bit *j* (the coefficient of x^j) of every byte.
///
/// In this form multiplying all 128 bytes by a public constant is a short network of XORs on eight
/// `SIMD2<UInt64>` words (multiplying by x costs three XORs), with no table and no branch on the data.
///
/// The transform between bytes and planes is the classic three-stage "ortho" bit-matrix transposition
/// (swap network with shifts 1, 2, 4), applied to each 64-bit lane independently. It is its own inverse.
/// Where a byte lands inside a plane is an implementation detail; ``init(loading:)`` and ``store(to:)``
/// agree on it, which is all that matters.
struct BitslicedBlock {
    typealias Plane = SIMD2<UInt64>

    /// The number of bytes one block holds.
    static let byteCount = 128

    var p0: Plane, p1: Plane, p2: Plane, p3: Plane, p4: Plane, p5: Plane, p6: Plane, p7: Plane

    @inline(__always)
    init(_ p0: Plane, _ p1: Plane, _ p2: Plane, _ p3: Plane, _ p4: Plane, _ p5: Plane, _ p6: Plane, _ p7: Plane) {
        self.p0 = p0
        self.p1 = p1
        self.p2 = p2
        self.p3 = p3
        self.p4 = p4
        self.p5 = p5
        self.p6 = p6
        self.p7 = p7
    }

    /// All-zero planes (every byte is 0).
    @inline(__always)
    static var zero: BitslicedBlock {
        BitslicedBlock(.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    }

    /// Reads 128 bytes as they are, without transposing them.
    ///
    /// Used for random coefficients: a uniformly random block is uniformly random in either form, so the
    /// transposition can be skipped.
    @inline(__always)
    init(rawPlanesAt base: UnsafeRawPointer) {
        self.init(
            base.loadUnaligned(fromByteOffset: 0, as: Plane.self),
            base.loadUnaligned(fromByteOffset: 16, as: Plane.self),
            base.loadUnaligned(fromByteOffset: 32, as: Plane.self),
            base.loadUnaligned(fromByteOffset: 48, as: Plane.self),
            base.loadUnaligned(fromByteOffset: 64, as: Plane.self),
            base.loadUnaligned(fromByteOffset: 80, as: Plane.self),
            base.loadUnaligned(fromByteOffset: 96, as: Plane.self),
            base.loadUnaligned(fromByteOffset: 112, as: Plane.self)
        )
    }

    /// Reads 128 bytes and transposes them into bit planes.
    @inline(__always)
    init(loading base: UnsafeRawPointer) {
        self.init(rawPlanesAt: base)
        transpose()
    }

    /// Transposes the planes back into bytes and writes the 128 bytes to `base`.
    @inline(__always)
    func store(to base: UnsafeMutableRawPointer) {
        var bytes = self
        bytes.transpose()
        base.storeBytes(of: bytes.p0, toByteOffset: 0, as: Plane.self)
        base.storeBytes(of: bytes.p1, toByteOffset: 16, as: Plane.self)
        base.storeBytes(of: bytes.p2, toByteOffset: 32, as: Plane.self)
        base.storeBytes(of: bytes.p3, toByteOffset: 48, as: Plane.self)
        base.storeBytes(of: bytes.p4, toByteOffset: 64, as: Plane.self)
        base.storeBytes(of: bytes.p5, toByteOffset: 80, as: Plane.self)
        base.storeBytes(of: bytes.p6, toByteOffset: 96, as: Plane.self)
        base.storeBytes(of: bytes.p7, toByteOffset: 112, as: Plane.self)
    }

    /// Exchanges the bits of `high` at positions with bit `shift` clear with the bits of `low` at the
    /// positions `shift` above them (a delta swap). `mask` selects the positions with that bit clear.
    @inline(__always)
    private static func swapBits(_ low: inout Plane, _ high: inout Plane, shift: UInt64, mask: UInt64) {
        let t = ((low &>> shift) ^ high) & Plane(repeating: mask)
        high ^= t
        low ^= t &<< shift
    }

    /// The 8×8 bit transposition between "word index" and "bit index inside a byte". An involution.
    @inline(__always)
    mutating func transpose() {
        Self.swapBits(&p0, &p1, shift: 1, mask: 0x5555_5555_5555_5555)
        Self.swapBits(&p2, &p3, shift: 1, mask: 0x5555_5555_5555_5555)
        Self.swapBits(&p4, &p5, shift: 1, mask: 0x5555_5555_5555_5555)
        Self.swapBits(&p6, &p7, shift: 1, mask: 0x5555_5555_5555_5555)
        Self.swapBits(&p0, &p2, shift: 2, mask: 0x3333_3333_3333_3333)
        Self.swapBits(&p1, &p3, shift: 2, mask: 0x3333_3333_3333_3333)
        Self.swapBits(&p4, &p6, shift: 2, mask: 0x3333_3333_3333_3333)
        Self.swapBits(&p5, &p7, shift: 2, mask: 0x3333_3333_3333_3333)
        Self.swapBits(&p0, &p4, shift: 4, mask: 0x0F0F_0F0F_0F0F_0F0F)
        Self.swapBits(&p1, &p5, shift: 4, mask: 0x0F0F_0F0F_0F0F_0F0F)
        Self.swapBits(&p2, &p6, shift: 4, mask: 0x0F0F_0F0F_0F0F_0F0F)
        Self.swapBits(&p3, &p7, shift: 4, mask: 0x0F0F_0F0F_0F0F_0F0F)
    }

    /// Adds (XORs) another block, byte by byte.
    @inline(__always)
    static func ^= (lhs: inout BitslicedBlock, rhs: BitslicedBlock) {
        lhs.p0 ^= rhs.p0
        lhs.p1 ^= rhs.p1
        lhs.p2 ^= rhs.p2
        lhs.p3 ^= rhs.p3
        lhs.p4 ^= rhs.p4
        lhs.p5 ^= rhs.p5
        lhs.p6 ^= rhs.p6
        lhs.p7 ^= rhs.p7
    }

    /// Every byte multiplied by x: planes move up one, and x^8 = x^4 + x^3 + x + 1 folds plane 7 back.
    @inline(__always)
    func timesX() -> BitslicedBlock {
        BitslicedBlock(p7, p0 ^ p7, p1, p2 ^ p7, p3 ^ p7, p4, p5, p6)
    }

    /// Every byte multiplied by the public constant `c` (double-and-add from the top bit of `c`).
    ///
    /// The loop and its branches depend only on `c`, never on the block's bytes.
    @inline(__always)
    func multiplied(by c: UInt8) -> BitslicedBlock {
        if c == 0 { return .zero }
        var product = self
        var bit = 7 - c.leadingZeroBitCount
        while bit > 0 {
            bit -= 1
            product = product.timesX()
            if (c &>> UInt8(truncatingIfNeeded: bit)) & 1 != 0 {
                product ^= self
            }
        }
        return product
    }

    /// Overwrites the planes with zeros (best effort: copies in registers are beyond reach).
    @inline(__always)
    mutating func clear() {
        self = .zero
    }
}
