import Escrow

/// How `vault show`, `vault list` and `vault init` describe a vault. Public data only.
///
/// The JSON document of one vault (stable; members are added, never renamed or removed):
///
/// ```
/// {"name", "id" (hex), "status" (pending|active|closed|released), "generation", "created" (event id),
///  "creator", "metadata": {key: value},
///  "policy": {"threshold", "custodians": [{"name", "fingerprint", "x", "acknowledged"}]},
///  "missing_acknowledgements": [name],
///  "entries": [{"name", "kind", "current": VERSION, "versions": [VERSION]}]}
/// VERSION = {"version" (hex), "depositor", "deposited_at", "generation", "threshold", "holders",
///            "unresolved_levels", "superseded", "metadata": {key: value}}
/// ```
enum VaultReport {
    /// The re-split levels of a version that no open has resolved yet.
    ///
    /// - Parameter version: The version.
    /// - Returns: The count.
    static func unresolvedLevels(_ version: VersionState) -> Int {
        version.levels.filter { $0.resolved == nil }.count
    }

    /// One version as JSON.
    ///
    /// - Parameter version: The version.
    /// - Returns: The object.
    static func json(_ version: VersionState) -> JSONValue {
        .object([
            "version": .string(Hex.encode(version.id)),
            "depositor": .string(version.depositor),
            "deposited_at": .string(version.depositedAt.description),
            "generation": .int(version.generation),
            "threshold": .int(Int64(version.threshold)),
            "holders": .int(Int64(version.holders.count)),
            "unresolved_levels": .int(Int64(unresolvedLevels(version))),
            "superseded": .bool(version.isSuperseded),
            "metadata": .object(version.metadata.mapValues(JSONValue.string)),
        ])
    }

    /// One vault as JSON (the schema above).
    ///
    /// - Parameters:
    ///   - vault: The vault.
    ///   - state: The store's state.
    /// - Returns: The object.
    static func json(_ vault: VaultState, state: LedgerState) -> JSONValue {
        let custodians: [JSONValue] = vault.policy.custodians.map { custodian in
            .object([
                "name": .string(custodian.name),
                "fingerprint": .string(VaultLookup.fingerprint(custodian.key.bytes)),
                "x": .int(Int64(custodian.x)),
                "acknowledged": .bool(vault.acknowledged.contains(custodian.key.bytes)),
            ])
        }
        let entries: [JSONValue] = vault.entries.keys.sorted().compactMap { name in
            guard let versions = vault.entries[name], let current = versions.last else { return nil }
            return .object([
                "name": .string(name),
                "kind": .string(current.kind.rawValue),
                "current": json(current),
                "versions": .array(versions.map(json)),
            ])
        }
        return .object([
            "name": .string(vault.reference.name),
            "id": .string(Hex.encode(vault.id)),
            "status": .string(vault.status.rawValue),
            "generation": .int(vault.generation),
            "created": .string(vault.created.description),
            "creator": .string(vault.creator),
            "metadata": .object(vault.metadata.mapValues(JSONValue.string)),
            "policy": .object(["threshold": .int(Int64(vault.policy.threshold)), "custodians": .array(custodians)]),
            "missing_acknowledgements": .array(vault.missingAcknowledgements.map(JSONValue.string)),
            "entries": .array(entries),
        ])
    }

    /// The policy lines shown by `vault show` and `vault ack`: one per custodian, with fingerprint and custody.
    ///
    /// - Parameter vault: The vault.
    /// - Returns: The lines.
    static func policyLines(_ vault: VaultState) -> [String] {
        policyLines(vault.policy, acknowledged: vault.acknowledged)
    }

    /// The lines of a policy.
    ///
    /// - Parameters:
    ///   - policy: The policy.
    ///   - acknowledged: Keys that acknowledged custody, or `nil` to leave custody out.
    /// - Returns: The lines.
    static func policyLines(_ policy: PolicyRecord, acknowledged: Set<[UInt8]>?) -> [String] {
        let width = policy.custodians.map(\.name.count).max() ?? 0
        return policy.custodians.map { custodian in
            let padded = custodian.name + String(repeating: " ", count: width - custodian.name.count)
            let line = "  x=\(custodian.x)  \(padded)  \(VaultLookup.fingerprint(custodian.key.bytes))"
            guard let acknowledged else { return line }
            return line + (acknowledged.contains(custodian.key.bytes) ? "  acknowledged" : "  NOT acknowledged yet")
        }
    }

    /// `key=value, key=value` in key order.
    ///
    /// - Parameter metadata: The metadata.
    /// - Returns: The text, or `(none)`.
    static func metadataText(_ metadata: [String: String]) -> String {
        metadata.isEmpty
            ? "(none)" : metadata.keys.sorted().map { "\($0)=\(metadata[$0] ?? "")" }.joined(separator: ", ")
    }
}
