import ArgumentParser
import Escrow

/// The exit codes of every command (documented in the README and `escrow --help`).
///
/// | code | meaning |
/// |---|---|
/// | 0 | done |
/// | 1 | refused: bad input, no authority, a tampered or unknown store, a wrong passphrase; nothing was written |
/// | 2 | not ready: a quorum is not met yet, a vault waits for custody acknowledgements, a request expired |
/// | 64 | usage: unknown command or option, a missing or repeated argument |
/// | 70 | internal: an I/O or library failure |
enum ExitStatus: Int32 {
    /// Done.
    case ok = 0
    /// Refused; nothing was written.
    case refused = 1
    /// Not ready yet (quorum, acknowledgements, expiry).
    case notReady = 2
    /// Usage error (argument-parser's own code).
    case usage = 64
    /// Internal failure.
    case internalFailure = 70

    /// The status for a domain error.
    ///
    /// - Parameter error: The error.
    /// - Returns: Its exit status.
    static func of(_ error: EscrowError) -> ExitStatus {
        switch error.code {
        case .quorumNotMet, .expired: return .notReady
        case .ioFailure, .cryptoFailure: return .internalFailure
        default: return .refused
        }
    }

    /// The argument-parser exit code.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
