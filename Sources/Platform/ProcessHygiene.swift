#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps key material out of core dumps and debuggers while the process runs.
///
/// The CLI calls ``hardenProcess()`` first thing: it sets `RLIMIT_CORE` to zero (no core file) and, on Linux, clears
/// the dumpable flag with `prctl(PR_SET_DUMPABLE, 0)`, which also stops core dumps piped to a handler such as
/// systemd-coredump (those ignore `RLIMIT_CORE`) and stops same-user processes from attaching with ptrace or reading
/// `/proc/PID/mem`. libsodium's guarded allocations are additionally marked `MADV_DONTDUMP`.
public enum ProcessHygiene {
    /// What ``hardenProcess()`` achieved.
    public struct Status: Equatable, Sendable {
        /// The core-file size limit is zero.
        public var coreDumpsDisabled: Bool
        /// The process is no longer dumpable (always `false` where `prctl` does not exist).
        public var notDumpable: Bool
    }

    /// Disables core dumps and (on Linux) marks the process non-dumpable. Safe to call more than once.
    ///
    /// - Returns: Which measures took effect (failures are not fatal: the process still runs).
    @discardableResult
    public static func hardenProcess() -> Status {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        #if canImport(Glibc)
            let coreResource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
            let coreResource = RLIMIT_CORE
        #endif
        let limited = setrlimit(coreResource, &limit) == 0
        var dumpable = false
        #if os(Linux)
            if let prctl = linuxPrctl() {
                let prSetDumpable: Int32 = 4  // PR_SET_DUMPABLE
                dumpable = prctl(prSetDumpable, 0, 0, 0, 0) == 0
            }
        #endif
        return Status(coreDumpsDisabled: limited, notDumpable: dumpable)
    }

    /// The current state, for tests and diagnostics.
    ///
    /// - Returns: Whether the core limit is zero and whether the process is non-dumpable.
    public static func currentStatus() -> Status {
        var limit = rlimit()
        #if canImport(Glibc)
            let coreResource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
            let coreResource = RLIMIT_CORE
        #endif
        let zero = getrlimit(coreResource, &limit) == 0 && limit.rlim_cur == 0
        var notDumpable = false
        #if os(Linux)
            if let prctl = linuxPrctl() {
                let prGetDumpable: Int32 = 3  // PR_GET_DUMPABLE
                notDumpable = prctl(prGetDumpable, 0, 0, 0, 0) == 0
            }
        #endif
        return Status(coreDumpsDisabled: zero, notDumpable: notDumpable)
    }

    #if os(Linux)
        private typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

        /// `prctl` is variadic in C, which Swift cannot call directly; glibc reads its arguments as unsigned longs, so a
        /// fixed five-argument prototype is ABI-compatible on the Linux calling conventions (x86-64, AArch64).
        private static func linuxPrctl() -> Prctl? {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return nil }
            return unsafeBitCast(symbol, to: Prctl.self)
        }
    #endif
}
