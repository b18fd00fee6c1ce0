import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Saved terminal state, restored by the signal handler if the user interrupts a hidden prompt.
/// Only written while a prompt runs (a command-line tool has one prompt at a time).
nonisolated(unsafe) private var savedTerminal = termios()
nonisolated(unsafe) private var savedTerminalDescriptor: Int32 = -1

private func restoreTerminalAndReraise(_ number: Int32) {
    if savedTerminalDescriptor >= 0 {
        _ = tcsetattr(savedTerminalDescriptor, TCSANOW, &savedTerminal)
    }
    _ = signal(number, SIG_DFL)
    _ = raise(number)
}

/// Hidden prompts on the controlling terminal (`/dev/tty`), for passphrases and secrets typed by a person.
///
/// Echo is switched off with termios for the duration of the read and restored afterwards, also when the user presses
/// Ctrl-C. The bytes go straight into guarded memory.
public enum Terminal {
    /// Whether `fd` is a terminal.
    ///
    /// - Parameter fd: A file descriptor, e.g. 0 for standard input.
    /// - Returns: `true` for a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Writes `prompt` to the terminal and reads one line without echo.
    ///
    /// - Parameters:
    ///   - prompt: The prompt, e.g. `Passphrase for alice: `.
    ///   - limit: The longest line accepted.
    /// - Returns: The line without its newline, in guarded memory.
    /// - Throws: ``EscrowError/Code/noTerminal`` if the process has no controlling terminal;
    ///   ``EscrowError/Code/invalidInput`` for an over-long line; ``EscrowError/Code/ioFailure``.
    public static func readHidden(prompt: String, limit: Int = 1024) throws(EscrowError) -> SecureBytes {
        try readLine(prompt: prompt, limit: limit, hidden: true)
    }

    /// Writes `prompt` to the terminal and reads one visible line: a person's answer to a question such as a
    /// confirmation (never a secret).
    ///
    /// - Parameters:
    ///   - prompt: The question, e.g. `Approve request 3F2A-91C4? Type yes to approve: `.
    ///   - limit: The longest answer accepted.
    /// - Returns: The answer without its newline.
    /// - Throws: ``EscrowError/Code/noTerminal`` if the process has no controlling terminal;
    ///   ``EscrowError/Code/invalidInput`` for an over-long line; ``EscrowError/Code/ioFailure``.
    public static func ask(_ prompt: String, limit: Int = 256) throws(EscrowError) -> String {
        let answer = try readLine(prompt: prompt, limit: limit, hidden: false)
        return answer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    private static func readLine(prompt: String, limit: Int, hidden: Bool) throws(EscrowError) -> SecureBytes {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            throw EscrowError(
                .noTerminal,
                hidden
                    ? "no terminal to ask for the secret (\(prompt.trimmingPromptPunctuation)); use a file option instead"
                    : "no terminal to ask: \(prompt.trimmingPromptPunctuation)"
            )
        }
        defer { close(fd) }
        var original = termios()
        let hasTermios = hidden && tcgetattr(fd, &original) == 0
        var previousHandlers: [(Int32, sighandler_t?)] = []
        if hasTermios {
            savedTerminal = original
            savedTerminalDescriptor = fd
            for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP] {
                previousHandlers.append((number, signal(number, restoreTerminalAndReraise)))
            }
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(fd, TCSAFLUSH, &silent)
        }
        defer {
            if hasTermios {
                _ = tcsetattr(fd, TCSAFLUSH, &original)
                savedTerminalDescriptor = -1
                for (number, handler) in previousHandlers { _ = signal(number, handler) }
            }
        }
        try? FileDescriptorIO.writeAll(fd, Array(prompt.utf8), name: "/dev/tty")
        let buffer = SecureBytes(count: limit + 1)
        var length = 0
        var ended = false
        let failed: EscrowError? = buffer.withUnsafeMutableBytes { bytes in
            var byte: UInt8 = 0
            while true {
                let count = read(fd, &byte, 1)
                if count < 0 {
                    if errno == EINTR { continue }
                    return EscrowError(.ioFailure, "cannot read from the terminal: \(FileDescriptorIO.describe())")
                }
                if count == 0 || byte == UInt8(ascii: "\n") {
                    ended = true
                    break
                }
                guard length < limit else { break }
                bytes[length] = byte
                length += 1
            }
            byte = 0
            return nil
        }
        if let failed { throw failed }
        guard ended else { throw EscrowError(.invalidInput, "the line typed is longer than \(limit) bytes") }
        // A terminal in raw-ish mode may deliver CR LF.
        let trimmed =
            buffer.withUnsafeBytes { length > 0 && $0[length - 1] == UInt8(ascii: "\r") } ? length - 1 : length
        return buffer.slice(0..<trimmed)
    }

    /// Writes a message to the terminal (falls back to standard error when there is none).
    ///
    /// - Parameter text: The message.
    public static func say(_ text: String) {
        let fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC)
        let target = fd >= 0 ? fd : 2
        try? FileDescriptorIO.writeAll(target, Array(text.utf8), name: "/dev/tty")
        if fd >= 0 { close(fd) }
    }
}

extension String {
    fileprivate var trimmingPromptPunctuation: String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == ":" { text.removeLast() }
        return String(text)
    }
}
