/// Where a secret-derived verdict becomes public.
///
/// Code that handles secrets accumulates validity and equality as masks and branches only on the final yes/no,
/// which is public by design (a share line is well-formed or not, its checksum matches or not). That last branch
/// necessarily depends on secret bytes, so a checker that tracks secret data (valgrind memcheck in the
/// `ConstantTime/` package) sees it like a leak. Every such verdict goes through ``declassify(_:)``, so the one
/// data-dependent branch lives in one small function that the checker exempts by name, and nowhere else.
enum ConstantTime {
    /// Returns `verdict` unchanged: the single, named point where a verdict computed from secret bytes is branched on.
    ///
    /// Not optimised and not inlined, so that the branch stays here (and the value returned is a constant on each
    /// path) whatever the optimiser does to the callers.
    ///
    /// - Parameter verdict: A yes/no computed from secret bytes that the caller's contract makes public.
    /// - Returns: `verdict`.
    @_optimize(none) @inline(never)
    static func declassify(_ verdict: Bool) -> Bool {
        if verdict { return true }
        return false
    }
}
