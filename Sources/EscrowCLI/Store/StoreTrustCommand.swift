import ArgumentParser
import Escrow

/// `escrow store trust --store DIR --fingerprint F`: first contact with a store.
struct StoreTrustCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Pin a store's genesis on first contact, after checking its fingerprint out of band.",
        discussion: """
            Like an SSH host key: the genesis fingerprint is shown by 'escrow init' to the founder; compare it by \
            another channel (in person, a call) before trusting the store. Without --fingerprint the store's \
            fingerprint is shown and nothing is pinned. Afterwards every command checks the pin and refuses a \
            store that lost events you have seen.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The genesis fingerprint you checked, e.g. 3F2A-91C4-0B7D-55E2-A1C9.")
    var fingerprint: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func execute() throws {
        let path = try store.location()
        guard let fingerprint else {
            let ledger = try Ledger.open(at: path)
            throw CLIError(
                "the genesis fingerprint of \(path) is \(ledger.state.genesis.fingerprint) (store "
                    + "'\(ledger.state.storeName)'): check it with your team, then pass --fingerprint"
            )
        }
        let context = try StoreContext.pin(at: path, fingerprint: fingerprint)
        let state = context.ledger.state
        if json {
            Console.json(
                .object([
                    "store": .string(path), "genesis": .string(state.genesis.description),
                    "fingerprint": .string(state.genesis.fingerprint), "events": .int(Int64(state.eventCount)),
                ])
            )
            return
        }
        Console.line(
            "Pinned store '\(state.storeName)' at \(path) (genesis \(state.genesis.fingerprint), "
                + "\(Console.counted(state.eventCount, "event")), \(Console.counted(state.custodians.count, "custodian")))."
        )
    }
}
