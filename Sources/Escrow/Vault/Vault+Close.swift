extension Vault {
    /// Marks the vault closed (the account was closed). Everything is kept; deposits are refused and unlocks need to
    /// be forced with a reason. The caller re-signs and commits the vault with its audit record.
    ///
    /// - Throws: ``EscrowError/Code/conflict`` unless the vault is active.
    public mutating func close() throws(EscrowError) {
        guard state == .active else {
            throw EscrowError(.conflict, "vault '\(name)' is \(state.rawValue): only an active vault can be closed")
        }
        state = .closed
    }
}
