/// Zeroization of scratch memory that held secret bytes.
///
/// `Shamir` imports nothing, so it cannot call `explicit_bzero`/`sodium_memzero`. The wipe is done by a function
/// the optimiser never sees into (`@_optimize(none)`, `@inline(never)`): callers cannot prove the stores dead,
/// and the function itself is compiled as written.
enum Wipe {
    /// Writes zeros over every byte of `buffer`.
    @_optimize(none) @inline(never)
    static func zero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            base.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
    }

    /// Writes zeros over every byte of an array's storage (its count, not its spare capacity).
    static func zero(_ array: inout [UInt8]) {
        array.withUnsafeMutableBytes { zero($0) }
    }
}
