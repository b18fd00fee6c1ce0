import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Diagnostics on file descriptor 2 (never secrets).
enum StandardError {
    /// Writes `text` and a newline to stderr, ignoring failures (there is nowhere left to report them).
    static func writeLine(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        bytes.withUnsafeBytes { try? FileDescriptorIO.writeAll(STDERR_FILENO, $0, name: "standard error") }
    }
}
