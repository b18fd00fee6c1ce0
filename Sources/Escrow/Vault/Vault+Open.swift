import Sodium

extension Vault {
    /// Decrypts the current version of each named entry with the rebuilt master key; each value's binding header is
    /// checked (see ``EntryPlaintext``).
    ///
    /// - Parameters:
    ///   - names: The entries, in the order to return them.
    ///   - masterKey: The vault's master key pair (checked against ``publicKey`` first).
    /// - Returns: The opened entries.
    /// - Throws: ``EscrowError/Code/notFound`` for a missing entry; ``EscrowError/Code/tampered`` if the key is not
    ///   this vault's or a value does not open.
    public func openEntries(_ names: [String], masterKey: BoxKeyPair) throws(EscrowError) -> [OpenedEntry] {
        guard masterKey.publicKey == publicKey.bytes else {
            throw EscrowError(.tampered, "the key does not belong to vault '\(name)'")
        }
        var opened: [OpenedEntry] = []
        for entryName in names {
            guard let entry = entries[entryName], let current = entry.current else {
                throw EscrowError(.notFound, "vault '\(name)' has no entry '\(entryName)'")
            }
            let value = try EntryPlaintext.open(
                current.sealedValue.bytes,
                masterKey: masterKey,
                vaultID: id.bytes,
                entry: entryName,
                kind: entry.kind,
                version: current.version
            )
            opened.append(
                OpenedEntry(
                    name: entryName,
                    kind: entry.kind,
                    version: current.version,
                    createdAt: current.createdAt,
                    metadata: current.metadata,
                    value: value
                )
            )
        }
        return opened
    }

    /// The entries a request may name: those with a current version.
    ///
    /// - Parameter names: Requested entry names.
    /// - Throws: ``EscrowError/Code/notFound`` naming the first missing entry and listing the vault's entries.
    public func requireEntries(_ names: [String]) throws(EscrowError) {
        for entryName in names where entries[entryName]?.current == nil {
            let known = entries.keys.sorted()
            throw EscrowError(
                .notFound,
                "vault '\(name)' has no entry '\(entryName)'"
                    + (known.isEmpty ? " (it has no entries)" : " (entries: \(known.joined(separator: ", ")))")
            )
        }
    }
}
