/// Branch-free helpers for code that handles secret values (word indices, share bytes).
enum ConstantTime {
    /// All ones if `value` is zero, otherwise zero; no branch on `value`.
    @inline(__always)
    static func isZeroMask(_ value: UInt64) -> UInt64 {
        // For value != 0, value | -value has its top bit set.
        (((value | (0 &- value)) >> 63) & 1) &- 1
    }

    /// All ones if `value` is zero, otherwise zero; no branch on `value`.
    @inline(__always)
    static func isZeroMask(_ value: UInt32) -> UInt32 {
        (((value | (0 &- value)) >> 31) & 1) &- 1
    }
}
