import ArgumentParser
import Escrow

/// `escrow unlock request VAULT --entry E… --reason TEXT [--ttl 24h] --identity FILE [--out REQ]`.
struct UnlockRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Ask the custodians to open entries: a signed request file to send them.",
        discussion: """
            The request names the vault, its generation, the entries, your reason and an expiry, and carries a \
            fresh public key the custodians encrypt their shares to (its secret half is sealed to your identity: \
            only you can use the approvals). The store is not changed. Read the request code (e.g. 3F2A-91C4) to \
            the custodians so they know they approve the same request.
            """
    )

    @Argument(help: "The vault.")
    var vault: String

    @Option(name: .customLong("entry"), help: ArgumentHelp("An entry to open (repeatable).", valueName: "name"))
    var entries: [String] = []

    @Option(help: "Why you need the entries (shown to the approvers, recorded in the audit log).")
    var reason: String

    @Option(help: "How long the request stays valid: 30m, 24h (default), up to 7d.")
    var ttl: String = "24h"

    @OptionGroup var force: ForceOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(
        name: .customLong("out"),
        help: ArgumentHelp("Write the request here (default: standard output).", valueName: "file")
    )
    var output: String?

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
            try RequestWriter.make(
                intent,
                lifetime: try TimeToLive.seconds(ttl),
                store: store,
                requester: identity,
                to: output
            )
        }
    }
}

/// Makes, writes and announces a request (`unlock request`, `vault release --out`, `vault reshare --out`).
enum RequestWriter {
    static func make(
        _ intent: UnlockIntent,
        lifetime: Int64,
        store options: StoreOptions,
        requester: IdentityOptions,
        to output: String?
    ) throws {
        let opened = try options.open()
        let actor = try requester.unlock()
        try make(
            intent,
            lifetime: lifetime,
            store: opened,
            actor: actor,
            requesterPath: try requester.identityPath(),
            to: output
        )
    }

    static func make(
        _ intent: UnlockIntent,
        lifetime: Int64,
        store: Store,
        actor: CustodianIdentity,
        requesterPath: String,
        to output: String?
    ) throws {
        let request = try store.makeRequest(intent, by: actor, lifetime: lifetime)
        let vault = try store.vault(named: intent.vaultName)
        store.reportRecovery()
        try UnlockFiles.write(try request.encoded(), to: output)
        let say = Narration(toStandardOutput: output != nil)
        let file = output ?? "REQUEST"
        say.line(
            NameRules.terminalSafe(
                "Request \(request.code) \(output.map { "written to \($0)" } ?? "written above"): \(RequestSummary.action(request, vault: vault))."
            )
        )
        say.line(
            "It expires at \(request.expiresAt). \(vault.policy.threshold) of \(vault.policy.custodians.map(\.name).joined(separator: ", ")) must approve; each runs:"
        )
        say.line("  escrow unlock approve \(file) --identity THEIR.id --out THEIR-NAME.approval")
        say.line("Then: escrow unlock open \(file) APPROVAL... --identity \(requesterPath)")
    }
}
