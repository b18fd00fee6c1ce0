import Escrow

extension EscrowError {
    /// The message as the CLI prints it: the domain's message plus, for each hint the domain gave, the
    /// flag or command that acts on it.
    var cliMessage: String {
        hints.reduce(message) { $0 + Self.cliSuffix(for: $1) }
    }

    /// The words the CLI adds for `hint`, naming the flag or command that acts on it.
    private static func cliSuffix(for hint: Hint) -> String {
        switch hint {
        case .overridePassphrasePolicy: return "; --force overrides"
        default: return ""
        }
    }
}
