import Sodium

/// Where a passphrase comes from. Never argv and never the environment: either the first line of a file, or a
/// no-echo prompt on the controlling terminal.
public enum PassphraseSource: Sendable, Equatable {
    /// The first line of this file (the newline, and a carriage return before it, are stripped).
    case file(String)
    /// A hidden prompt on `/dev/tty`.
    case terminal

    /// The longest passphrase accepted, in bytes.
    public static let maximumLength = 1024

    /// Reads the passphrase.
    ///
    /// - Parameters:
    ///   - prompt: The terminal prompt, e.g. `Passphrase for alice: `.
    ///   - confirm: Ask twice on the terminal and require both answers to match (new passphrases).
    /// - Returns: The passphrase in guarded memory.
    /// - Throws: ``EscrowError/Code/invalidInput`` (empty, too long, or the two answers differ),
    ///   ``EscrowError/Code/notFound`` / ``EscrowError/Code/ioFailure`` for the file, ``EscrowError/Code/noTerminal``.
    public func read(prompt: String, confirm: Bool = false) throws(EscrowError) -> SecureBytes {
        switch self {
        case .file(let path):
            let contents = try FileSystem.readSecret(path: path, limit: Self.maximumLength + 2)
            let length = contents.withUnsafeBytes { bytes in
                var end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return end
            }
            guard length > 0 else { throw EscrowError(.invalidInput, "passphrase file \(path) is empty") }
            guard length <= Self.maximumLength else {
                throw EscrowError(.invalidInput, "passphrase in \(path) is longer than \(Self.maximumLength) bytes")
            }
            return contents.slice(0..<length)
        case .terminal:
            let first = try Terminal.readHidden(prompt: prompt, limit: Self.maximumLength)
            guard first.count > 0 else { throw EscrowError(.invalidInput, "the passphrase is empty") }
            if confirm {
                let second = try Terminal.readHidden(prompt: "Repeat to confirm: ", limit: Self.maximumLength)
                guard first == second else { throw EscrowError(.invalidInput, "the two passphrases typed differ") }
            }
            return first
        }
    }
}
