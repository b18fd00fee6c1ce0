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

    /// Returns `verdict` unchanged: the single, named point where a yes/no computed from secret bytes (a digest
    /// match, a passphrase's validity) is branched on. Its caller's contract makes the verdict public.
    ///
    /// Not optimised and not inlined, so the branch stays here and the value returned is a constant on each path;
    /// the constant-time check (valgrind memcheck, `ConstantTime/`) exempts this function by name and nothing else.
    ///
    /// - Parameter verdict: The secret-derived yes/no.
    /// - Returns: `verdict`.
    @_optimize(none) @inline(never)
    static func declassify(_ verdict: Bool) -> Bool {
        if verdict { return true }
        return false
    }
}
