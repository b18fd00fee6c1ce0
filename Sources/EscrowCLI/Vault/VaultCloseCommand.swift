import ArgumentParser
import Escrow

/// `escrow vault close VAULT --reason R`: a request to close a vault (unlocks refused unless forced).
struct VaultCloseCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Request to close a vault: kept, but unlocks are refused unless forced; takes a quorum."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var request: VaultRequestOptions

    @Argument(help: "The vault.", completion: StoreCompletion.vaults)
    var vault: String

    /// Checks everything that needs no secret, then asks the passphrase and acts (see the discussion above).
    func validate() throws {
        try request.requireReason()
    }

    func execute() throws {
        _ = try request.checked()
        let context = try store.open()
        _ = try VaultActor.check(identity, in: context.ledger, needsCustodian: true, doing: "make requests")
        let found = try VaultLookup.vault(vault, in: context.ledger)
        guard found.status == .active else {
            throw CLIError("vault '\(found.reference.name)' is \(found.status.rawValue), not active: nothing to close")
        }
        let target = RequestTarget(vault: found.reference, generation: found.generation)
        try request.make(.close, targets: [target], recipient: nil, context: context, identity: identity)
    }
}
