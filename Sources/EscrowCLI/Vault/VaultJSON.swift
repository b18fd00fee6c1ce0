import Escrow

/// The public JSON shapes of `vault init|list|show --json` (never a secret: no sealed values either).
enum VaultJSON {
    static func custodians(_ vault: Vault) -> JSONValue {
        .array(
            vault.policy.custodians.map {
                .object([
                    "name": .string($0.name), "fingerprint": .string($0.fingerprint.description),
                    "x": .int(Int64($0.x)),
                ])
            }
        )
    }

    static func summary(_ vault: Vault) -> JSONValue {
        .object([
            "name": .string(vault.name), "id": .string(vault.id.description), "state": .string(vault.state.rawValue),
            "threshold": .int(Int64(vault.policy.threshold)),
            "custodian_count": .int(Int64(vault.policy.custodians.count)),
            "generation": .int(vault.generation), "entries": .array(vault.entries.keys.sorted().map(JSONValue.string)),
        ])
    }

    static func entry(_ name: String, _ entry: VaultEntry) -> JSONValue {
        .object([
            "name": .string(name), "kind": .string(entry.kind.rawValue),
            "versions": .array(
                entry.versions.map { version in
                    .object([
                        "version": .int(Int64(version.version)), "state": .string(version.state.rawValue),
                        "created_at": .string(version.createdAt.description),
                        "depositor": .string(version.depositor.name),
                        "depositor_fingerprint": .string(version.depositor.fingerprint.description),
                        "metadata": .object(version.metadata.mapValues(JSONValue.string)),
                    ])
                }
            ),
        ])
    }

    static func detail(_ vault: Vault) -> JSONValue {
        .object([
            "name": .string(vault.name), "id": .string(vault.id.description), "state": .string(vault.state.rawValue),
            "created_at": .string(vault.createdAt.description), "updated_at": .string(vault.updatedAt.description),
            "generation": .int(vault.generation), "threshold": .int(Int64(vault.policy.threshold)),
            "custodians": custodians(vault), "public_key": .string(Base64URL.encode(vault.publicKey.bytes)),
            "public_key_fingerprint": .string(Fingerprint(vaultKey: vault.publicKey.bytes).description),
            "metadata": .object(vault.metadata.mapValues(JSONValue.string)),
            "entries": .array(
                vault.entries.keys.sorted().compactMap { name in vault.entries[name].map { entry(name, $0) } }
            ),
            "last_writer": .string(vault.lastWriter.name),
            "last_writer_fingerprint": .string(vault.lastWriter.fingerprint.description),
        ])
    }
}
