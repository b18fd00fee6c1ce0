import ArgumentParser

/// `escrow store …`: pinning and inspecting a store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Pin a store on first contact and show what it holds.",
        subcommands: [StoreTrustCommand.self, StoreShowCommand.self]
    )
}
