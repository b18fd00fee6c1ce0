import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The ctgrind-style constant-time check: run under valgrind's memcheck (see ../../README.md and
/// ../../../scripts/constant-time.sh).
///
/// - `ConstantTimeHarness check` (the default) marks every secret byte undefined, runs the covered operations and
///   checks their results after marking them defined again. memcheck reports each branch and each memory address
///   that depends on a secret; the expected number of reports is zero.
/// - `ConstantTimeHarness control` runs a deliberately leaky function that memcheck must report, so that the check
///   can be seen to fail.
@main
enum ConstantTimeHarness {
    static func main() {
        do {
            try Sodium.initialize()
        } catch {
            print("constant-time harness: libsodium did not initialise: \(error)")
            exit(2)
        }
        let mode = CommandLine.arguments.dropFirst().first ?? "check"
        switch mode {
        case "check":
            var checks = Checks()
            checks.runAll()
            print("constant-time harness: \(checks.covered.count) operations covered, every result correct")
        case "control":
            Control.run()
        default:
            print("usage: ConstantTimeHarness [check|control]")
            exit(2)
        }
    }
}
