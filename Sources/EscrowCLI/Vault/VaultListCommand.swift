import ArgumentParser
import Escrow

/// `escrow vault list`: every vault with its state and policy.
struct VaultListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the vaults: state, policy, generation, entries (never secret values)."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let opened = try store.open()
            let vaults = try opened.vaults()
            opened.reportRecovery()
            if json {
                Output.json(.array(vaults.map(VaultJSON.summary)))
                return
            }
            guard !vaults.isEmpty else {
                Output.line("No vaults yet: create one with 'escrow vault init'.")
                return
            }
            Output.table(
                ["NAME", "STATE", "POLICY", "GENERATION", "ENTRIES", "ID"],
                vaults.map { vault in
                    [
                        vault.name, vault.state.rawValue, vault.policy.summary, String(vault.generation),
                        String(vault.entries.count), vault.id.description,
                    ]
                }
            )
        }
    }
}
