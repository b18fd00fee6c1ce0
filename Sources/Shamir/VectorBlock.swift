/// A run of field elements processed together by ``LinearProgram``: one or eight `SIMD16<UInt8>` vectors, in
/// plain byte layout (no transposition).
///
/// Every operation is lane-wise and branch-free, so it runs in the same time whatever the bytes are. Multiplying
/// by x ("doubling") is a shift, a sign mask and a conditional reduction by 0x1B, which compiles to five SSE2
/// instructions per vector (`pxor`, `pcmpgtb`, `paddb`, `pand`, `pxor`).
protocol VectorBlock {
    /// The number of bytes one block covers.
    static var byteCount: Int { get }
    /// All bytes zero.
    static var zero: Self { get }
    /// Loads `byteCount` bytes (any alignment).
    init(loadingFrom base: UnsafeRawPointer)
    /// Stores `byteCount` bytes (any alignment).
    func store(to base: UnsafeMutableRawPointer)
    /// Adds (XORs) another block lane by lane.
    static func ^ (lhs: Self, rhs: Self) -> Self
    /// Every byte multiplied by x (the field element 0x02).
    func doubled() -> Self
}

extension SIMD16 where Scalar == UInt8 {
    /// Every byte multiplied by x in GF(2^8)/0x11B: `(v << 1) ^ (0x1B if the top bit was set)`, mask-based.
    @inline(__always)
    func gfDoubled() -> SIMD16<UInt8> {
        let carries = SIMD16<UInt8>.zero &- (self &>> 7)  // 0xFF where the top bit is set, else 0x00
        return (self &+ self) ^ (carries & SIMD16<UInt8>(repeating: 0x1B))
    }
}

/// Sixteen bytes: the tail path of ``LinearProgram`` and short secrets.
struct OneVector: VectorBlock {
    var v: SIMD16<UInt8>

    static var byteCount: Int { 16 }

    @inline(__always)
    static var zero: OneVector { OneVector(v: .zero) }

    @inline(__always)
    init(v: SIMD16<UInt8>) { self.v = v }

    @inline(__always)
    init(loadingFrom base: UnsafeRawPointer) {
        v = base.loadUnaligned(as: SIMD16<UInt8>.self)
    }

    @inline(__always)
    func store(to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: v, as: SIMD16<UInt8>.self)
    }

    @inline(__always)
    static func ^ (lhs: OneVector, rhs: OneVector) -> OneVector { OneVector(v: lhs.v ^ rhs.v) }

    @inline(__always)
    func doubled() -> OneVector { OneVector(v: v.gfDoubled()) }
}

/// 128 bytes as eight independent vectors: the main path of ``LinearProgram``. Eight accumulators keep the
/// vector units busy and amortise the per-instruction dispatch of the program over 128 bytes.
struct EightVectors: VectorBlock {
    var v0: SIMD16<UInt8>, v1: SIMD16<UInt8>, v2: SIMD16<UInt8>, v3: SIMD16<UInt8>
    var v4: SIMD16<UInt8>, v5: SIMD16<UInt8>, v6: SIMD16<UInt8>, v7: SIMD16<UInt8>

    static var byteCount: Int { 128 }

    @inline(__always)
    static var zero: EightVectors { EightVectors(.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero) }

    @inline(__always)
    init(
        _ v0: SIMD16<UInt8>,
        _ v1: SIMD16<UInt8>,
        _ v2: SIMD16<UInt8>,
        _ v3: SIMD16<UInt8>,
        _ v4: SIMD16<UInt8>,
        _ v5: SIMD16<UInt8>,
        _ v6: SIMD16<UInt8>,
        _ v7: SIMD16<UInt8>
    ) {
        self.v0 = v0
        self.v1 = v1
        self.v2 = v2
        self.v3 = v3
        self.v4 = v4
        self.v5 = v5
        self.v6 = v6
        self.v7 = v7
    }

    @inline(__always)
    init(loadingFrom base: UnsafeRawPointer) {
        self.init(
            base.loadUnaligned(fromByteOffset: 0, as: SIMD16<UInt8>.self),
            base.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self),
            base.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self),
            base.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self),
            base.loadUnaligned(fromByteOffset: 64, as: SIMD16<UInt8>.self),
            base.loadUnaligned(fromByteOffset: 80, as: SIMD16<UInt8>.self),
            base.loadUnaligned(fromByteOffset: 96, as: SIMD16<UInt8>.self),
            base.loadUnaligned(fromByteOffset: 112, as: SIMD16<UInt8>.self)
        )
    }

    @inline(__always)
    func store(to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: v0, toByteOffset: 0, as: SIMD16<UInt8>.self)
        base.storeBytes(of: v1, toByteOffset: 16, as: SIMD16<UInt8>.self)
        base.storeBytes(of: v2, toByteOffset: 32, as: SIMD16<UInt8>.self)
        base.storeBytes(of: v3, toByteOffset: 48, as: SIMD16<UInt8>.self)
        base.storeBytes(of: v4, toByteOffset: 64, as: SIMD16<UInt8>.self)
        base.storeBytes(of: v5, toByteOffset: 80, as: SIMD16<UInt8>.self)
        base.storeBytes(of: v6, toByteOffset: 96, as: SIMD16<UInt8>.self)
        base.storeBytes(of: v7, toByteOffset: 112, as: SIMD16<UInt8>.self)
    }

    @inline(__always)
    static func ^ (lhs: EightVectors, rhs: EightVectors) -> EightVectors {
        EightVectors(
            lhs.v0 ^ rhs.v0,
            lhs.v1 ^ rhs.v1,
            lhs.v2 ^ rhs.v2,
            lhs.v3 ^ rhs.v3,
            lhs.v4 ^ rhs.v4,
            lhs.v5 ^ rhs.v5,
            lhs.v6 ^ rhs.v6,
            lhs.v7 ^ rhs.v7
        )
    }

    @inline(__always)
    func doubled() -> EightVectors {
        EightVectors(
            v0.gfDoubled(),
            v1.gfDoubled(),
            v2.gfDoubled(),
            v3.gfDoubled(),
            v4.gfDoubled(),
            v5.gfDoubled(),
            v6.gfDoubled(),
            v7.gfDoubled()
        )
    }
}
