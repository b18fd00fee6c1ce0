import ArgumentParser
import Escrow

/// `escrow vault list [--where key=value ...] [--state S] [--custodian NAME] [--json]`: the vaults, filtered.
struct VaultListCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List vaults with their account id and key metadata, filtered by metadata, state or custodian."
    )

    @OptionGroup var store: StoreOptions

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp("Only vaults whose metadata has this value (repeatable).", valueName: "key=value")
    )
    var filters: [String] = []

    @Option(help: "Only vaults in this state: active, pending, closed or released.")
    var state: VaultStatus?

    @Option(
        help: ArgumentHelp("Only vaults this custodian holds shares of.", valueName: "name"),
        completion: StoreCompletion.members
    )
    var custodian: String?

    @Flag(help: "Print the result as JSON: {\"vaults\": [VAULT]} (the schema of 'vault show --json').")
    var json = false

    /// Opens and verifies the store, then prints (no secret is involved).
    func execute() throws {
        var wanted: [(String, String)] = []
        for filter in filters {
            guard let equals = filter.firstIndex(of: "="), equals != filter.startIndex else {
                throw CLIError("--where '\(NameRules.printable(filter))' must be written key=value")
            }
            wanted.append((String(filter[..<equals]), String(filter[filter.index(after: equals)...])))
        }
        let context = try store.open()
        let ledgerState = context.ledger.state
        if let custodian, ledgerState.member(named: custodian) == nil,
            !ledgerState.vaults.values.contains(where: { $0.policy.custodians.contains { $0.name == custodian } })
        {
            let names = ledgerState.custodians.map(\.identity.name)
            let suggestion = NameSuggestion.closest(to: custodian, among: names)
            throw CLIError(
                "'\(NameRules.printable(custodian))' is not a custodian of this store"
                    + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
            )
        }
        let vaults = ledgerState.vaults.values.filter { vault in
            (state == nil || vault.status == state)
                && (custodian == nil || vault.policy.custodians.contains { $0.name == custodian })
                && wanted.allSatisfy { vault.metadata[$0.0] == $0.1 }
        }.sorted { $0.reference.name < $1.reference.name }
        if json {
            Console.json(.object(["vaults": .array(vaults.map { VaultReport.json($0, state: ledgerState) })]))
            return
        }
        guard !vaults.isEmpty else {
            Console.note(
                ledgerState.vaults.isEmpty ? "No vault yet: create one with 'escrow vault init'." : "No vault matches."
            )
            return
        }
        Console.table(
            ["NAME", "STATE", "POLICY", "ACCOUNT-ID", "PROVIDER", "ACCOUNT-NAME", "ENTRIES"],
            vaults.map { vault in
                [
                    vault.reference.name, vault.status.rawValue,
                    "\(vault.policy.threshold)-of-\(vault.policy.custodians.count)",
                    vault.metadata["account_id"] ?? "-", vault.metadata["provider"] ?? "-",
                    vault.metadata["account_name"] ?? "-", String(vault.entries.count),
                ]
            }
        )
    }
}

extension VaultStatus: ExpressibleByArgument {}
