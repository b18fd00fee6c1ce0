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
        case .createOrLocateStore: return "; run 'escrow init' or pass --store"
        case .createStore: return "; run 'escrow init'"
        case .overridePassphrasePolicy: return "; --force overrides"
        case .forceOnlyForClosedVaults: return ": --force is only for closed vaults"
        case .forceClosedVault: return ": unlocking it needs --force with --force-reason"
        case .requestLifetime: return " (use --ttl, e.g. 24h)"
        case .nameCustodiansPresent: return " (--identity, repeated)"
        case .nameReshareChange: return ": --remove, --add or --threshold"
        case .executeReadyVaultsOnly: return "; --partial re-splits the vaults that are ready and leaves the others"
        case .executeGoodVaultsOnly: return "; --partial re-splits the vaults whose shares are good"
        default: return ""
        }
    }
}
