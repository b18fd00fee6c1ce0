import Escrow

/// Finds the vault or request a person names on the command line, with "did you mean" suggestions.
enum VaultLookup {
    /// The vault named `text`, or the one whose `account_id` metadata is `text`.
    ///
    /// - Parameters:
    ///   - text: A vault name or a 12-digit account id.
    ///   - ledger: The open store.
    /// - Returns: The vault.
    /// - Throws: ``EscrowError/Code/notFound`` with the closest name, ``CLIError`` if an account id is ambiguous.
    static func vault(_ text: String, in ledger: Ledger) throws -> VaultState {
        if let vault = ledger.state.vault(named: text) { return vault }
        let byAccount = ledger.state.vaults.values.filter { $0.metadata["account_id"] == text }
            .sorted { $0.reference.name < $1.reference.name }
        if byAccount.count == 1 { return byAccount[0] }
        if byAccount.count > 1 {
            throw CLIError(
                "account id \(text) is in several vaults (\(byAccount.map(\.reference.name).joined(separator: ", "))): "
                    + "name the vault"
            )
        }
        return try ledger.vault(named: text)
    }

    /// The request whose event id is `text` or starts with it (at least 8 hex digits; dashes and case ignored).
    ///
    /// - Parameters:
    ///   - text: A request id as printed.
    ///   - ledger: The open store.
    /// - Returns: The request.
    /// - Throws: ``CLIError`` for an unknown, too short or ambiguous id.
    static func request(_ text: String, in ledger: Ledger) throws -> RequestState {
        let wanted = text.lowercased().filter { $0 != "-" }
        guard wanted.count >= 8, wanted.allSatisfy({ $0.isHexDigit }) else {
            throw CLIError("request id '\(NameRules.printable(text))' must be at least 8 hex digits, as printed")
        }
        let matches = ledger.state.requests.values.filter { $0.event.description.hasPrefix(wanted) }
        guard let first = matches.first else {
            throw CLIError("no request \(NameRules.printable(text)) in this store: run 'escrow sync' first")
        }
        guard matches.count == 1 else {
            throw CLIError("request id \(NameRules.printable(text)) is ambiguous: give more digits")
        }
        return first
    }

    /// The fingerprint shown for an Ed25519 key.
    ///
    /// - Parameter key: The key.
    /// - Returns: Its fingerprint text.
    static func fingerprint(_ key: [UInt8]) -> String {
        Fingerprint(signingKey: key).description
    }
}
