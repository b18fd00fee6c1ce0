/// Zeroization of scratch memory that held secret bytes.
///
/// `Shamir` imports nothing, so it cannot call `explicit_bzero`/`sodium_memzero`. The wipe is an ordinary
/// (optimised, memset-speed) zero fill followed by a call the optimiser cannot see into, which receives the
/// pointer and reads the memory: the zeros are observable, so the stores cannot be removed as dead.
enum Wipe {
    /// Writes zeros over every byte of `buffer`.
    @inline(never)
    static func zero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count > 0 else { return }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        barrier(UnsafeRawBufferPointer(buffer))
    }

    /// Writes zeros over every byte of an array's storage (its count, not its spare capacity).
    static func zero(_ array: inout [UInt8]) {
        array.withUnsafeMutableBytes { zero($0) }
    }

    /// Reads the first and last byte through an unoptimised, non-inlined function: to the optimiser the
    /// memory escapes and is used, so the preceding zero fill must happen.
    @_optimize(none) @inline(never)
    static func barrier(_ buffer: UnsafeRawBufferPointer) {
        guard let first = buffer.first, let last = buffer.last else { return }
        precondition(first | last == 0, "wipe did not take effect")
    }
}
