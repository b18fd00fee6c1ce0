import ArgumentParser
import Escrow

/// `escrow vault ack NAME [--yes]` or `escrow vault ack --request ID [--yes]`: a custodian acknowledges custody of a
/// new vault, or of the vaults a re-split request adds them to, after checking every custodian's fingerprint.
struct VaultAckCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge custody of a vault (or of the vaults a re-split adds you to) after checking the policy.",
        discussion: """
            Shows the vault, its policy and every custodian's name and fingerprint. Compare them with the other \
            custodians out of band (in the room or on a call), then confirm: your acknowledgement proves your key \
            opens its custody challenge. A vault turns active once every custodian acknowledged.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The vault (omit with --request).", completion: StoreCompletion.vaults)
    var vault: String?

    @Option(help: ArgumentHelp("A re-split request that adds you as a custodian.", valueName: "id"))
    var request: String?

    @Flag(help: "Answer yes to the confirmation (scripts; you checked the fingerprints already).")
    var yes = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Refuses option combinations that make no sense before anything runs (usage status 64).
    func validate() throws {
        guard (vault == nil) != (request == nil) else {
            throw ValidationError("give either a vault name or --request ID")
        }
    }

    /// Checks everything that needs no secret, then asks the passphrase and acts (see the discussion above).
    func execute() throws {
        let context = try store.open()
        let ledger = context.ledger
        let actor = try VaultActor.check(identity, in: ledger, needsCustodian: true, doing: "hold custody")
        let me = actor.identity.name
        let subject: EventID
        var display: [String] = []
        var summary: String
        if let request {
            let found = try VaultLookup.request(request, in: ledger)
            guard found.body.action == .resplit else {
                throw CLIError(
                    "request \(found.event.short) is a \(found.body.action.rawValue), not a re-split: nothing to acknowledge"
                )
            }
            guard found.body.challenges.contains(where: { $0.key.bytes == actor.identity.signingKey }) else {
                throw CLIError("request \(found.event.short) does not add \(me) to any vault: nothing to acknowledge")
            }
            guard !found.acknowledged.contains(actor.identity.signingKey) else {
                throw CLIError("\(me) already acknowledged custody for request \(found.event.short)")
            }
            guard found.execution == nil else {
                throw CLIError("request \(found.event.short) was already executed")
            }
            subject = found.event
            summary = "custody for re-split request \(found.event.short) acknowledged by \(me)"
            display.append("Re-split request \(found.event.short) by \(found.requester): \(found.body.reason)")
            // One listing per distinct new policy (a bulk re-split gives thousands of vaults the same few).
            let targets = found.body.targets.compactMap { target in target.policy.map { (target.vault.name, $0) } }
            for (policy, group) in OrderedGroups.of(targets, by: \.1) {
                let names = group.map(\.0)
                let vaults =
                    (names.count == 1 ? "Vault " : names.count <= 3 ? "Vaults " : "")
                    + Console.vaultGroup(names, quoted: true)
                display.append(
                    "\(vaults): \(policy.threshold) of \(policy.custodians.count) custodians after the re-split:"
                )
                display += VaultReport.policyLines(policy, acknowledged: nil)
            }
        } else {
            let found = try VaultLookup.vault(vault ?? "", in: ledger)
            let name = found.reference.name
            guard let custodian = found.policy.custodian(withKey: actor.identity.signingKey) else {
                throw CLIError("\(me) is not a custodian of vault '\(name)': nothing to acknowledge")
            }
            guard !found.acknowledged.contains(custodian.key.bytes) else {
                throw CLIError(
                    "\(me) already acknowledged custody of '\(name)' (missing: "
                        + (found.missingAcknowledgements.isEmpty
                            ? "nobody" : found.missingAcknowledgements.joined(separator: ", ")) + ")"
                )
            }
            subject = found.created
            summary = "custody of vault '\(name)' acknowledged by \(me)"
            display.append("Vault '\(name)' (id \(Hex.encode(found.id))), created by \(found.creator)")
            display.append("Metadata: \(VaultReport.metadataText(found.metadata))")
            display.append("Policy: \(found.policy.threshold) of \(found.policy.custodians.count) custodians:")
            display += VaultReport.policyLines(found)
        }
        display.append("Compare every name and fingerprint with its custodian out of band before you acknowledge.")
        try Confirmation.requirePossible(assumeYes: yes)
        if json { display.forEach(Console.note) } else { Console.lines(display) }
        try Confirmation.require("Did you check the policy and every fingerprint?", assumeYes: yes)
        let custodian = try identity.unlock()
        let event = try ledger.acknowledgeCustody(of: subject, by: custodian, at: EscrowClock.system.now)
        try context.append([event], message: summary, by: custodian)
        try report(subject: subject, ledger: ledger, event: event)
    }

    /// Prints who acknowledged and what is still missing.
    private func report(subject: EventID, ledger: Ledger, event: Event) throws {
        var missing: [String] = []
        var vaults: [String] = []
        var next: String
        if request != nil, let found = ledger.state.requests[subject] {
            missing = found.body.challenges.filter { !found.acknowledged.contains($0.key.bytes) }.compactMap {
                ledger.state.members[$0.key.bytes]?.identity.name
            }
            vaults = found.body.targets.map(\.vault.name)
            next =
                missing.isEmpty
                ? "every new custodian acknowledged: approvers run 'escrow unlock approve \(found.event.short)'"
                : "still missing: \(missing.joined(separator: ", ")) (each runs 'escrow vault ack --request \(found.event.short)')"
        } else {
            let vault = try VaultLookup.vault(vault ?? "", in: ledger)
            missing = vault.missingAcknowledgements
            vaults = [vault.reference.name]
            next =
                missing.isEmpty
                ? "vault '\(vault.reference.name)' is \(vault.status.rawValue): deposits are accepted ('escrow vault put \(vault.reference.name) ENTRY')"
                : "still missing: \(missing.joined(separator: ", ")) (each runs 'escrow vault ack \(vault.reference.name)')"
        }
        if json {
            Console.json(
                .object([
                    "event": .string(event.id.description), "vaults": .array(vaults.map(JSONValue.string)),
                    "missing": .array(missing.map(JSONValue.string)), "next": .string(next),
                ])
            )
            return
        }
        Console.line("Custody acknowledged by \(event.author.name) (event \(event.id.short)); \(next).")
    }
}
