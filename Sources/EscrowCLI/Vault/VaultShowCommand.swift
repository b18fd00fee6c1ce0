import ArgumentParser
import Escrow

/// `escrow vault show NAME|ACCOUNT-ID [--json]`: one vault's policy, custody, entries and versions.
struct VaultShowCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a vault (by name or AWS account id): policy, custody, entries and their versions.",
        discussion: """
            The JSON document is stable (members are added, never renamed): name, id, status, generation, created, \
            creator, metadata, policy {threshold, custodians [{name, fingerprint, x, acknowledged}]}, \
            missing_acknowledgements, entries [{name, kind, current, versions}] where a version is {version, \
            depositor, deposited_at, generation, threshold, holders, unresolved_levels, superseded, metadata}.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The vault's name or its account_id metadata.", completion: StoreCompletion.vaults)
    var vault: String

    @Flag(help: "Print the vault as JSON.")
    var json = false

    /// Opens and verifies the store, then prints (no secret is involved).
    func execute() throws {
        let context = try store.open()
        let found = try VaultLookup.vault(vault, in: context.ledger)
        if json {
            Console.json(VaultReport.json(found, state: context.ledger.state))
            return
        }
        let name = found.reference.name
        var lines = [
            "Vault \(name) (id \(Hex.encode(found.id)))",
            "Status: \(found.status.rawValue), generation \(found.generation), created by \(found.creator) "
                + "(event \(found.created.short))",
            "Metadata: \(VaultReport.metadataText(found.metadata))",
            "Policy: \(found.policy.threshold) of \(found.policy.custodians.count) custodians:",
        ]
        lines += VaultReport.policyLines(found)
        if found.status == .pending {
            lines.append(
                "Custody not acknowledged by \(found.missingAcknowledgements.joined(separator: ", ")) "
                    + "(each runs 'escrow vault ack \(name)'); deposits are refused until then."
            )
        }
        if found.entries.isEmpty {
            lines.append("Entries: none yet")
        } else {
            lines.append("Entries:")
            for entryName in found.entries.keys.sorted() {
                let versions = found.entries[entryName] ?? []
                guard let current = versions.last else { continue }
                lines.append(
                    "  \(entryName) (\(current.kind.rawValue)): \(versions.count) version(s), current "
                        + "\(Hex.encode(current.id).prefix(12)) by \(current.depositor) at \(current.depositedAt)"
                )
                for version in versions.reversed() {
                    let levels = VaultReport.unresolvedLevels(version)
                    lines.append(
                        "    \(Hex.encode(version.id).prefix(12))  \(version.depositedAt)  \(version.depositor)  "
                            + "generation \(version.generation), \(version.threshold) of \(version.holders.count)"
                            + (levels > 0 ? ", \(levels) unresolved re-split level(s)" : "")
                            + (version.isSuperseded ? ", superseded" : ", current")
                    )
                }
            }
        }
        Console.lines(lines)
    }
}
