import Escrow
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a SLIP-39 passphrase comes from: the first line of a file, a no-echo prompt on the terminal, or nowhere
/// (empty, the SLIP-39 default). Never argv, never the environment.
///
/// Unlike an identity passphrase (`PassphraseSource`), an empty SLIP-39 passphrase is valid: it is what the
/// reference implementation uses when none is given.
enum SLIP39Passphrase {
    /// The longest passphrase read from a file or a terminal, in bytes.
    static let maximumByteCount = 1024

    /// Reads the passphrase.
    ///
    /// - Parameters:
    ///   - file: `--passphrase-file`: its first line is the passphrase (the newline, and a carriage return before
    ///     it, are dropped).
    ///   - confirm: Ask twice on a terminal (when splitting).
    /// - Returns: The passphrase; empty with no file and no terminal.
    /// - Throws: ``CLIError`` naming the file, or when the two answers differ.
    static func read(file: String?, confirm: Bool) throws -> SecureBytes {
        if let file {
            let contents = try FileIO.readAll(path: file, limit: 1 << 16)
            return try contents.withBytes { bytes in
                var end = bytes.firstIndex(of: 0x0A) ?? bytes.count
                if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
                guard end <= maximumByteCount else {
                    throw CLIError("\(file): the passphrase is longer than \(maximumByteCount) bytes")
                }
                return SecureBytes(copying: UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
            }
        }
        // Only ask when a person is plausibly there: standard input or standard error is a terminal.
        guard Terminal.isTerminal(STDIN_FILENO) || Terminal.isTerminal(STDERR_FILENO) else {
            return SecureBytes(count: 0)
        }
        do {
            let first = try Terminal.readHidden(
                prompt: "SLIP-39 passphrase (empty for none): ",
                limit: maximumByteCount
            )
            guard confirm else { return first }
            let second = try Terminal.readHidden(prompt: "Repeat the passphrase: ", limit: maximumByteCount)
            guard first == second else { throw CLIError("the two passphrases differ: nothing was split") }
            return first
        } catch let error as EscrowError where error.code == .noTerminal {
            return SecureBytes(count: 0)  // no controlling terminal after all: no passphrase, as without a TTY
        }
    }
}
