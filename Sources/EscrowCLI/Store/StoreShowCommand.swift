import ArgumentParser
import Escrow

/// `escrow store show`: the store's identity and counts.
struct StoreShowCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the store: genesis fingerprint, roster, vaults, events, heads."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func execute() throws {
        let context = try store.open()
        let state = context.ledger.state
        let heads = context.ledger.graph.heads
        try context.saveTrust()
        if json {
            Console.json(
                .object([
                    "name": .string(state.storeName), "store": .string(Hex.encode(state.storeID)),
                    "genesis": .string(state.genesis.description), "fingerprint": .string(state.genesis.fingerprint),
                    "roster_quorum": .int(Int64(state.rosterQuorum)), "members": .int(Int64(state.members.count)),
                    "vaults": .int(Int64(state.vaults.count)), "events": .int(Int64(state.eventCount)),
                    "heads": .array(heads.map { .string($0.description) }),
                    "findings": .array(state.findings.map { .string($0.description) }),
                ])
            )
            return
        }
        Console.lines([
            "store:          \(state.storeName) (\(context.path))",
            "genesis:        \(state.genesis.fingerprint)",
            "roster:         \(Console.counted(state.custodians.count, "custodian")), "
                + "\(Console.counted(state.members.count - state.custodians.count, "depositor")), "
                + "quorum \(state.rosterQuorum)",
            "vaults:         \(state.vaults.count)",
            "events:         \(state.eventCount)",
            "heads:          \(heads.map(\.short).joined(separator: ", "))",
            "findings:       \(state.findings.count)",
        ])
    }
}
