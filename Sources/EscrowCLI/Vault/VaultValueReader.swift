import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where `vault put` gets a credential value: never the command line or the environment. A person types it twice at
/// a no-echo prompt on the terminal; a script gives it on standard input or in `--value-file`. Values stay in guarded
/// memory from the read to the seal.
enum VaultValueReader {
    /// Reads the value for `entry`.
    ///
    /// - Parameters:
    ///   - valueFile: `--value-file`, if given.
    ///   - kind: The entry's kind (for the prompt).
    ///   - label: `vault/entry`, for the prompt and messages.
    /// - Returns: The bytes as supplied.
    /// - Throws: ``CLIError`` when the two typed values differ or the input cannot be read.
    static func read(valueFile: String?, kind: EntryKind, label: String) throws -> SecureBytes {
        if let valueFile {
            do {
                return try FileSystem.readSecret(path: valueFile, limit: EntryInput.maximumLength)
            } catch  where error.code == .tooLarge {
                throw CLIError("the value for '\(label)' is larger than \(EntryInput.maximumLength) bytes")
            } catch {
                throw CLIError("cannot read --value-file \(valueFile): \(error) (nothing was written)")
            }
        }
        if Console.inputIsTerminal {
            let what = kind == .totp ? "otpauth:// URI or base32 seed" : kind.rawValue
            let first = try Terminal.readHidden(
                prompt: "Value for \(label) (\(what)): ",
                limit: EntryInput.maximumLength
            )
            let second = try Terminal.readHidden(prompt: "Repeat to confirm: ", limit: EntryInput.maximumLength)
            guard first == second else {
                throw CLIError("the two values typed for \(label) differ: nothing was written; run the command again")
            }
            return first
        }
        do {
            return try FileDescriptorIO.readSecret(
                STDIN_FILENO,
                limit: EntryInput.maximumLength,
                name: "standard input"
            )
        } catch  where error.code == .tooLarge {
            throw CLIError("the value for '\(label)' is larger than \(EntryInput.maximumLength) bytes")
        } catch {
            throw CLIError("cannot read the value from standard input: \(error) (nothing was written)")
        }
    }

    /// Opens the controlling terminal for a one-time reveal, or refuses before anything is asked.
    ///
    /// - Returns: A write descriptor on `/dev/tty`.
    /// - Throws: ``CLIError`` when there is no terminal.
    static func openTerminal() throws -> Int32 {
        let fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIError("--reveal needs a terminal (the password is shown on it, never on standard output)")
        }
        return fd
    }

    /// Shows a generated password once on the terminal: straight from guarded memory to `/dev/tty`, never to
    /// standard output or a JSON document, so pipes, logs and CI captures do not get it.
    ///
    /// - Parameters:
    ///   - value: The password.
    ///   - label: `vault/entry`.
    ///   - fd: The descriptor from ``openTerminal()``.
    /// - Throws: An I/O error when the terminal cannot be written.
    static func reveal(_ value: SecureBytes, label: String, on fd: Int32) throws {
        defer { close(fd) }
        try FileDescriptorIO.writeAll(
            fd,
            Array("Generated password for \(label) (shown once): ".utf8),
            name: "/dev/tty"
        )
        try value.withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: "/dev/tty") }
        try FileDescriptorIO.writeAll(fd, Array("\n".utf8), name: "/dev/tty")
    }
}
