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

    /// Returns `value` unchanged, through a call the optimiser cannot see into.
    ///
    /// For a mask whose later use LLVM would otherwise turn into a conditional move and then, in a loop, into a
    /// branch (x86 "cmov conversion"): after this call the mask is just a number to AND with. No branch, so nothing to
    /// suppress in the constant-time check.
    ///
    /// - Parameter value: A mask (all ones or zero).
    /// - Returns: `value`.
    @_optimize(none) @inline(never)
    static func opaque(_ value: UInt64) -> UInt64 {
        value
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

    /// Returns the low `bitCount` bits of `value`: a secret-derived number whose caller's contract makes it public
    /// (a text's length, its number of words, a share's header fields).
    ///
    /// Each bit passes through ``declassify(_:)``, so the only branches on the value are that function's.
    ///
    /// - Parameters:
    ///   - value: The secret-derived number.
    ///   - bitCount: How many low bits carry it (at most 63).
    /// - Returns: `value`'s low `bitCount` bits.
    @inline(never)
    static func declassify(_ value: UInt64, bitCount: Int) -> Int {
        precondition((0..<64).contains(bitCount), "bit count")
        var result = 0
        for bit in 0..<bitCount where declassify((value >> UInt64(bit)) & 1 == 1) { result |= 1 << bit }
        return result
    }
}
