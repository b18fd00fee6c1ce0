import Escrow
import Sodium

/// Where a passphrase comes from. Never argv and never the environment: either the first line of a file
/// (`PassphraseFile`), or a no-echo prompt on the controlling terminal.
enum PassphraseSource: Sendable, Equatable {
    /// The first line of this file (the newline, and a carriage return before it, are stripped).
    case file(String)
    /// A hidden prompt on `/dev/tty`.
    case terminal

    /// The longest passphrase accepted, in bytes.
    static let maximumLength = PassphraseFile.maximumLength

    /// Reads the passphrase (warning on standard error when the file is readable by others).
    ///
    /// - Parameters:
    ///   - prompt: The terminal prompt, e.g. `Passphrase for alice: `.
    ///   - confirm: Ask twice on the terminal and require both answers to match (new passphrases).
    /// - Returns: The passphrase in guarded memory.
    /// - Throws: ``EscrowError/Code/invalidInput`` (empty, too long, or the two answers differ),
    ///   ``EscrowError/Code/notFound`` / ``EscrowError/Code/ioFailure`` for the file, ``EscrowError/Code/noTerminal``.
    func read(prompt: String, confirm: Bool = false) throws(EscrowError) -> SecureBytes {
        switch self {
        case .file(let path):
            PrivateFile.warnIfExposed(passphraseFile: path)
            return try PassphraseFile.read(path)
        case .terminal:
            let first: SecureBytes
            do {
                first = try Terminal.readHidden(prompt: prompt, limit: Self.maximumLength)
            } catch  where error.code == .noTerminal {
                var what = Substring(prompt)
                while let last = what.last, last == " " || last == ":" { what.removeLast() }
                throw EscrowError(
                    .noTerminal,
                    "no terminal to ask for the passphrase (\(what)): pass --passphrase-file FILE (its first line "
                        + "is the passphrase; a file only you can read)"
                )
            }
            guard first.count > 0 else { throw EscrowError(.invalidInput, "the passphrase is empty") }
            if confirm {
                let second = try Terminal.readHidden(prompt: "Repeat to confirm: ", limit: Self.maximumLength)
                guard first == second else { throw EscrowError(.invalidInput, "the two passphrases typed differ") }
            }
            return first
        }
    }
}
