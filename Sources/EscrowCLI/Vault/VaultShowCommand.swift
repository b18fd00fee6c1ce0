import ArgumentParser
import Escrow

/// `escrow vault show NAME`: policy, custodians, state, generation, metadata, entries and their history.
struct VaultShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a vault: policy, custodians, state, generation, metadata and entries (never secret values)."
    )

    @Argument(help: "The vault's name.")
    var name: String

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let opened = try store.open()
            let vault = try opened.vault(named: name)
            opened.reportRecovery()
            if json {
                Output.json(VaultJSON.detail(vault))
                return
            }
            Output.line("Vault:        \(vault.name)")
            Output.line("Id:           \(vault.id)")
            Output.line("State:        \(vault.state.rawValue)")
            Output.line("Policy:       \(vault.policy.threshold) of \(vault.policy.custodians.count) custodians")
            Output.line("Generation:   \(vault.generation)")
            Output.line("Vault key:    \(Fingerprint(vaultKey: vault.publicKey.bytes))")
            Output.line("Created:      \(vault.createdAt)")
            Output.line(
                "Last written: \(vault.updatedAt) by \(vault.lastWriter.name) (\(vault.lastWriter.fingerprint))"
            )
            Output.line("Custodians:")
            for custodian in vault.policy.custodians {
                Output.line("  x=\(custodian.x)  \(custodian.name.padded(16))  \(custodian.fingerprint)")
            }
            Output.line("Metadata:" + (vault.metadata.isEmpty ? " none" : ""))
            for key in vault.metadata.keys.sorted() { Output.line("  \(key.padded(24))  \(vault.metadata[key] ?? "")") }
            Output.line("Entries:" + (vault.entries.isEmpty ? " none" : ""))
            for entryName in vault.entries.keys.sorted() {
                guard let entry = vault.entries[entryName], let current = entry.current else { continue }
                let older = entry.versions.count - 1
                let history = older == 0 ? "" : ", \(older) superseded"
                Output.line(
                    "  \(entryName.padded(20))  \(entry.kind.rawValue.padded(8))  v\(current.version) \(current.createdAt) by \(current.depositor.name)\(history)"
                )
                let metadata = current.metadata.keys.sorted().map { "\($0)=\(current.metadata[$0] ?? "")" }
                if !metadata.isEmpty { Output.line("      " + metadata.joined(separator: " ")) }
            }
        }
    }
}
