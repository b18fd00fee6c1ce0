import ArgumentParser
import Escrow

/// `escrow vault init NAME -t K --custodians a,b,c [--meta key=value ...] [--json]`: the `vault.create` event.
struct VaultInitCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
            "Create a vault: its policy (K of the named custodians), its public metadata, one custody challenge each.",
        discussion: """
            Everything that needs no secret (the name, the custodians, the threshold, the metadata, your role) is \
            checked before your passphrase is asked. The vault stays pending until every custodian ran \
            'escrow vault ack NAME'; deposits are refused until then.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The vault's name (lowercase letters, digits, '.', '_', '-').")
    var name: String

    @Option(name: [.customShort("t"), .customLong("threshold")], help: "How many custodians open a credential.")
    var threshold: Int

    @Option(
        help: ArgumentHelp("The custodians, comma-separated (current custodians of the store).", valueName: "a,b,c")
    )
    var custodians: String

    @Option(
        name: .customLong("meta"),
        help: ArgumentHelp("Public account metadata (repeatable).", valueName: "key=value")
    )
    var metadata: [String] = []

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Checks the name's spelling with a precise message for upper-case letters.
    static func checkName(_ name: String) throws {
        if name.contains(where: \.isUppercase) {
            throw CLIError(
                "vault name '\(NameRules.printable(name))' has upper-case letters: vault names are lowercase "
                    + "(try '\(NameRules.printable(name.lowercased()))')"
            )
        }
        try NameRules.validateVaultName(name)
    }

    /// The custodian names, each a current custodian of the store, without repeats.
    static func custodianNames(_ list: String, in ledger: Ledger) throws -> [String] {
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        let custodians = ledger.state.custodians.map(\.identity.name)
        var seen: Set<String> = []
        for name in names {
            guard !name.isEmpty else { throw CLIError("--custodians '\(NameRules.printable(list))' has an empty name") }
            guard seen.insert(name).inserted else {
                throw CLIError("custodian '\(name)' is named twice in --custodians")
            }
            if custodians.contains(name) { continue }
            if let member = ledger.state.member(named: name) {
                throw CLIError("'\(name)' is a \(member.role.rawValue), not a custodian: only custodians hold shares")
            }
            let suggestion = NameSuggestion.closest(to: name, among: custodians)
            throw CLIError(
                "'\(NameRules.printable(name))' is not a custodian of this store"
                    + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
                    + "; custodians: \(custodians.joined(separator: ", "))"
            )
        }
        return names
    }

    /// Checks everything that needs no secret, then asks the passphrase and acts (see the discussion above).
    func execute() throws {
        try Self.checkName(name)
        let parsed = try VaultMetadata.parse(metadata)
        let context = try store.open()
        let ledger = context.ledger
        let actor = try VaultActor.check(identity, in: ledger, needsCustodian: true, doing: "create vaults")
        if ledger.state.vaultNames[name] != nil {
            throw CLIError(
                "a vault named '\(name)' exists or existed in this store: names are never reused; pick another"
            )
        }
        let names = try Self.custodianNames(custodians, in: ledger)
        guard threshold >= 2 else { throw CLIError("-t \(threshold): the threshold must be at least 2") }
        guard threshold <= names.count else {
            throw CLIError(
                "-t \(threshold) is more than the \(names.count) custodians named: no quorum could ever open it"
            )
        }
        _ = try ledger.policy(threshold: threshold, custodians: names)
        let creator = try identity.unlock()
        guard creator.publicIdentity.signingKey == actor.identity.signingKey else {
            throw CLIError("the identity file changed while the command ran")
        }
        let event = try ledger.createVault(
            named: name,
            metadata: parsed,
            threshold: threshold,
            custodians: names,
            by: creator,
            at: EscrowClock.system.now
        )
        try context.append(
            [event],
            message: "vault '\(name)' created by \(actor.identity.name), \(threshold) of \(names.count)",
            by: creator
        )
        let vault = try ledger.vault(named: name)
        if json {
            Console.json(
                .object([
                    "vault": VaultReport.json(vault, state: ledger.state),
                    "event": .string(event.id.description),
                    "next": .array(
                        vault.missingAcknowledgements.map {
                            .object(["custodian": .string($0), "command": .string("escrow vault ack \(name)")])
                        }
                    ),
                ])
            )
            return
        }
        Console.line("Vault '\(name)' created: \(threshold) of \(names.count) custodians (event \(event.id.short)).")
        Console.line(
            "It is pending until every custodian acknowledges custody. Each of them runs, with their own identity:"
        )
        for custodian in vault.missingAcknowledgements {
            Console.line("  \(custodian): escrow vault ack \(name)")
        }
    }
}
