import ArgumentParser
import Escrow
import Platform
import Sodium

/// `escrow unlock [ceremony] VAULT --entry E… --reason TEXT --identity F1 --identity F2 …`: the in-room ceremony.
struct UnlockCeremonyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceremony",
        abstract: "In-room unlock: the custodians present type their passphrases in turn at this terminal.",
        discussion: """
            The default of 'escrow unlock': 'escrow unlock acme --entry root-password --reason TEXT --identity \
            alice.id --identity bob.id --identity carol.id'. Each custodian's own share is decrypted with their \
            identity and checked against its digest; a quorum of good shares opens the entries. Same checks and \
            audit as an asynchronous unlock (recorded as a ceremony). Passphrases are typed without echo; \
            --passphrase-file NAME=FILE reads one custodian's passphrase from a file instead.
            """
    )

    @Argument(help: "The vault.")
    var vault: String

    @Option(name: .customLong("entry"), help: ArgumentHelp("An entry to open (repeatable).", valueName: "name"))
    var entries: [String] = []

    @Option(help: "Why the entries are opened (recorded in the audit log).")
    var reason: String

    @OptionGroup var force: ForceOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var present: PresentCustodians
    @OptionGroup var display: EntryDisplayOptions

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            guard !entries.isEmpty else { throw CLIError("name the entries to open with --entry (repeatable)") }
            let intent = UnlockIntent.open(
                vault: vault,
                entries: entries,
                reason: reason,
                forceReason: try force.reason()
            )
            let outcome = try Ceremony.run(intent, store: store, present: present, bundle: nil)
            try OutcomePrinter(display: display, bundlePath: nil).print(outcome, request: nil)
        }
    }
}

/// The in-room ceremony's steps, shared by `unlock`, `vault release` and `vault reshare`: check everything without
/// secrets, say what will happen, ask each custodian's passphrase in turn, execute.
enum Ceremony {
    static func run(_ intent: UnlockIntent, store options: StoreOptions, present: PresentCustodians, bundle: String?)
        throws -> UnlockOutcome
    {
        let members = try present.members()
        _ = try present.sources(for: members)  // pairing errors first, before anything else is checked
        let opened = try options.open()
        let (vault, target) = try opened.reviewCeremony(intent, custodians: members.map(\.identity))
        let customer = intent.customer.map { "\($0.name) (\($0.fingerprint))" }
        var narration = [
            "In-room ceremony: \(RequestSummary.action(intent.action, target: target, customer: customer, vault: vault)).",
            "Reason: \(intent.reason)",
        ]
        if let forceReason = intent.forceReason {
            narration.append("FORCED (vault is \(vault.state.rawValue)): \(forceReason)")
        }
        narration.append(
            "Custodians present: \(members.map { "\($0.identity.name) (\($0.identity.fingerprint))" }.joined(separator: ", ")); \(vault.policy.threshold) of \(vault.policy.custodians.count) needed."
        )
        Terminal.say(narration.map { NameRules.terminalSafe($0) + "\n" }.joined())
        let staged = try bundle.map { try AtomicFile(path: $0) }
        defer { staged?.discard() }
        let custodians = try present.unlock(members)
        var rng = StreamRandom()
        let outcome = try opened.runCeremony(
            intent,
            custodians: custodians,
            using: &rng,
            deliver: { (made) throws(EscrowError) in try OutcomePrinter.stage(made, in: staged) }
        )
        try staged?.commit()
        opened.reportRecovery()
        return outcome
    }
}
