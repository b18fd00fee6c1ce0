import ArgumentParser
import Escrow

/// `escrow vault release VAULT --to CUSTOMER --reason TEXT --identity F --out REQ` (a request for the quorum), or
/// in the room: `… --identity F1 --identity F2 … --bundle OUT`.
struct VaultReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract:
            "Hand a vault over to its customer: every entry sealed to their key in an export bundle (needs a quorum).",
        discussion: """
            With --out REQ (one --identity): writes a release request; the custodians approve it like any unlock \
            and 'escrow unlock open REQ APPROVAL... --bundle OUT' writes the bundle. With --bundle OUT and the \
            custodians present (--identity repeated): does it now, in the room. Either way the bundle holds every \
            current entry sealed to the customer's public identity, signed by whoever runs the release; the vault \
            is marked released and refuses every later unlock. The customer opens the bundle with \
            'escrow bundle open'.
            """
    )

    @Argument(help: "The vault.")
    var vault: String

    @Option(
        name: .customLong("to"),
        help: ArgumentHelp("The customer's public identity line, or a file holding it.", valueName: "identity")
    )
    var customer: String

    @Option(help: "Why the vault is released (recorded in the request and the audit log).")
    var reason: String

    @Option(help: "How long the request stays valid: 30m, 24h (default), up to 7d.")
    var ttl: String = "24h"

    @OptionGroup var force: ForceOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var present: PresentCustodians

    @Option(name: .customLong("out"), help: ArgumentHelp("Write a release request here.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("In the room: write the export bundle here.", valueName: "file"))
    var bundle: String?

    @Flag(help: "Print the result of an in-room release as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let intent = UnlockIntent.release(
                vault: vault,
                to: try PublicIdentityArgument.parse(customer),
                reason: reason,
                forceReason: try force.reason()
            )
            switch (output, bundle) {
            case (let output?, nil):
                let member = try present.single()
                let opened = try store.open()
                let actor = try present.unlock([member])[0]
                try RequestWriter.make(
                    intent,
                    lifetime: try TimeToLive.seconds(ttl),
                    store: opened,
                    actor: actor,
                    requesterPath: member.path,
                    to: output
                )
            case (nil, let bundle?):
                let outcome = try Ceremony.run(intent, store: store, present: present, bundle: bundle)
                var display = EntryDisplayOptions()
                display.json = json
                try OutcomePrinter(display: display, bundlePath: bundle).print(outcome, request: nil)
            default:
                throw CLIError(
                    "give --out REQ to request a release from the custodians, or --bundle OUT to release in the room (not both)"
                )
            }
        }
    }
}
