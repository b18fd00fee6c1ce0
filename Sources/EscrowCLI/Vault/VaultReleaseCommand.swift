import ArgumentParser
import Escrow

/// `escrow vault release VAULT --to CUSTOMER-LINE-FILE --reason R [--entry E]...`: a request to hand a vault's
/// current credentials to the customer, sealed to the customer's key (the executor sees no value).
struct VaultReleaseCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Request to release a vault's credentials to the customer (sealed to the customer's key).",
        discussion: """
            --to is the customer's public identity line (or a file holding it), from 'escrow custodian show' run \
            by the customer: the approvals re-seal shares to the X25519 key derived from it. After the approvals, \
            'escrow unlock execute ID --bundle FILE' writes the bundle; the customer opens it with \
            'escrow bundle open FILE --identity CUSTOMER.id'.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var request: VaultRequestOptions

    @Argument(help: "The vault.", completion: StoreCompletion.vaults)
    var vault: String

    @Option(help: ArgumentHelp("The customer's public identity line, or a file holding it.", valueName: "line-or-file"))
    var to: String

    @Option(
        help: ArgumentHelp("Release only this entry (repeatable; default: every entry).", valueName: "entry"),
        completion: StoreCompletion.entries
    )
    var entry: [String] = []

    /// Checks everything that needs no secret, then asks the passphrase and acts (see the discussion above).
    func validate() throws {
        try request.requireReason()
    }

    func execute() throws {
        _ = try request.checked()
        let customer = try PublicIdentityArgument.parse(to)
        let context = try store.open()
        let ledger = context.ledger
        _ = try VaultActor.check(identity, in: ledger, needsCustodian: true, doing: "make requests")
        let found = try VaultLookup.vault(vault, in: ledger)
        let name = found.reference.name
        guard found.status == .active || found.status == .closed else {
            throw CLIError("vault '\(name)' is \(found.status.rawValue): only an active or closed vault is released")
        }
        if ledger.state.members[customer.signingKey] != nil {
            throw CLIError("\(customer.name) is a member of this store, not a customer: pass the customer's own line")
        }
        let target = try ledger.versionsTarget(vault: name, entries: entry)
        let recipient = RequestRecipient(name: customer.name, key: try customer.boxPublicKey())
        Console.note(
            "Releasing to \(customer.name) (\(customer.fingerprint)): check this fingerprint with the customer."
        )
        try request.make(
            .release,
            targets: [target],
            recipient: recipient,
            context: context,
            identity: identity,
            executeHint:
                " --bundle FILE (then give FILE to the customer: escrow bundle open FILE --identity CUSTOMER.id)"
        )
    }
}
