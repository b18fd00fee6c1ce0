import Sodium

/// A passphrase kept in a file: its first line (never argv and never the environment). Prompting for one on a
/// terminal is the CLI's job.
public enum PassphraseFile {
    /// The longest passphrase accepted, in bytes.
    public static let maximumLength = 1024

    /// Reads the first line of `path` (the newline, and a carriage return before it, are stripped).
    ///
    /// - Parameter path: The file.
    /// - Returns: The passphrase in guarded memory.
    /// - Throws: ``EscrowError/Code/invalidInput`` (empty or too long), ``EscrowError/Code/notFound`` or
    ///   ``EscrowError/Code/ioFailure``.
    public static func read(_ path: String) throws(EscrowError) -> SecureBytes {
        let contents = try FileSystem.readSecret(path: path, limit: maximumLength + 2)
        let length = contents.withUnsafeBytes { bytes in
            var end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return end
        }
        guard length > 0 else { throw EscrowError(.invalidInput, "passphrase file \(path) is empty") }
        guard length <= maximumLength else {
            throw EscrowError(.invalidInput, "passphrase in \(path) is longer than \(maximumLength) bytes")
        }
        return contents.slice(0..<length)
    }
}
