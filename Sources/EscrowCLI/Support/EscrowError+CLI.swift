import Escrow

extension EscrowError {
    /// The message as the CLI prints it: the domain's message plus, when the domain gave a ``EscrowError/Hint``, the
    /// flag or command that acts on it.
    var cliMessage: String {
        guard let hint else { return message }
        switch hint {
        case .createOrLocateStore: return message + "; run 'escrow init' or pass --store"
        case .createStore: return message + "; run 'escrow init'"
        case .overridePassphrasePolicy: return message + "; --force overrides"
        case .forceOnlyForClosedVaults: return message + ": --force is only for closed vaults"
        case .forceClosedVault: return message + ": unlocking it needs --force with --force-reason"
        case .requestLifetime: return message + " (use --ttl, e.g. 24h)"
        case .nameCustodiansPresent: return message + " (--identity, repeated)"
        case .nameReshareChange: return message + ": --remove, --add or --threshold"
        default: return message
        }
    }
}
