import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a SLIP-39 passphrase comes from: a file, a no-echo prompt on the terminal, or nowhere (empty).
/// Never argv, never the environment.
enum SLIP39Passphrase {
    /// The longest passphrase read from a file or a terminal, in bytes.
    static let maximumByteCount = 1024

    /// Reads the passphrase.
    ///
    /// - Parameters:
    ///   - file: `--passphrase-file`; one trailing line break (LF or CRLF) is dropped.
    ///   - confirm: Ask twice on a terminal (when splitting).
    /// - Returns: The passphrase; empty with no file and no terminal.
    /// - Throws: ``CLIError`` naming the file, or when the two entries differ.
    static func read(file: String?, confirm: Bool) throws -> SecureBytes {
        if let file {
            let contents = try FileIO.readAll(path: file)
            return try contents.withBytes { bytes in
                guard bytes.count <= maximumByteCount + 2 else {
                    throw CLIError(
                        "\(file): a passphrase file holds one line of at most \(maximumByteCount) bytes"
                    )
                }
                return SecureBytes(copying: UnsafeRawBufferPointer(rebasing: bytes[0..<lineLength(bytes)]))
            }
        }
        guard isatty(STDIN_FILENO) == 1 || isatty(STDERR_FILENO) == 1 else {
            return SecureBytes(count: 0)
        }
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard tty >= 0 else { return SecureBytes(count: 0) }
        defer { close(tty) }
        let first = try prompt("SLIP-39 passphrase (empty for none): ", on: tty)
        guard confirm else { return first }
        let second = try prompt("Repeat the passphrase: ", on: tty)
        guard first == second else { throw CLIError("the two passphrases differ: nothing was split") }
        return first
    }

    /// The length of `bytes` without one trailing `\n` or `\r\n`.
    private static func lineLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = bytes.count
        if count > 0 && bytes[count - 1] == 0x0A { count -= 1 }
        if count > 0 && bytes[count - 1] == 0x0D { count -= 1 }
        return count
    }

    /// Turns echo off, prints `text` on the terminal and reads one line (echo is restored afterwards).
    ///
    /// Echo goes off before the prompt appears, so nothing typed in answer to it is ever shown.
    private static func prompt(_ text: String, on tty: Int32) throws -> SecureBytes {
        var saved = termios()
        let hasTermios = tcgetattr(tty, &saved) == 0
        if hasTermios {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(tty, TCSANOW, &silent)
        }
        defer {
            if hasTermios { _ = tcsetattr(tty, TCSANOW, &saved) }
        }
        try Array(text.utf8).withUnsafeBytes { try FileIO.writeAll(tty, $0, name: "the terminal") }
        let line = SecureBytes(count: maximumByteCount + 1)
        var length = try line.withUnsafeMutableBytes { buffer -> Int in
            var count = 0
            while count < buffer.count {
                let byte = UnsafeMutableRawBufferPointer(rebasing: buffer[count..<(count + 1)])
                if try FileIO.readSome(tty, into: byte, name: "the terminal") == 0 || byte[0] == 0x0A {
                    byte[0] = 0
                    break
                }
                count += 1
            }
            return count
        }
        guard length <= maximumByteCount else {
            throw CLIError("the passphrase is longer than \(maximumByteCount) bytes")
        }
        if length > 0 && line.withUnsafeBytes({ $0[length - 1] }) == 0x0D { length -= 1 }
        return line.slice(0..<length)
    }
}
