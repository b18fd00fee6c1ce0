extension Vault {
    /// Marks the vault released (handed over to the customer). Everything is kept; deposits and unlocks are refused
    /// from now on. The caller re-signs and commits the vault with its audit record.
    ///
    /// - Throws: ``EscrowError/Code/conflict`` if the vault is already released.
    public mutating func markReleased() throws(EscrowError) {
        guard state != .released else { throw EscrowError(.conflict, "vault '\(name)' is already released") }
        state = .released
    }
}
