import ArgumentParser
import Escrow

/// `escrow vault reshare VAULT --threshold K --custodians a,b,c --reason TEXT --identity F --out REQ` (a request for
/// the current custodians), or in the room: `… --identity F1 --identity F2 …` without `--out`.
struct VaultReshareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reshare",
        abstract: "Re-split a vault's key to a new policy (same key, new shares, generation + 1); needs a quorum.",
        discussion: """
            The request names the exact new policy (threshold and custodians, in share order); a quorum of the \
            CURRENT custodians approves it like any unlock, and 'escrow unlock open' executes it: the master key is \
            rebuilt, split with a new random polynomial, each share encrypted to its new custodian, and the old \
            shares are gone. Without --out, the current custodians present (--identity repeated) do it now.
            """
    )

    @Argument(help: "The vault.")
    var vault: String

    @Option(help: "The new threshold.")
    var threshold: Int

    @Option(help: ArgumentHelp("The new custodians, comma-separated, in share order.", valueName: "names"))
    var custodians: String

    @Option(help: "Why the vault is re-split (recorded in the request and the audit log).")
    var reason: String

    @Option(help: "How long the request stays valid: 30m, 24h (default), up to 7d.")
    var ttl: String = "24h"

    @OptionGroup var force: ForceOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var present: PresentCustodians

    @Option(name: .customLong("out"), help: ArgumentHelp("Write a reshare request here.", valueName: "file"))
    var output: String?

    @Flag(help: "Print the result of an in-room re-split as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let names = custodians.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingSpaces
            }
            guard !names.contains("") else { throw CLIError("--custodians has an empty name (write a,b,c)") }
            let intent = UnlockIntent.reshare(
                vault: vault,
                threshold: threshold,
                custodians: names,
                reason: reason,
                forceReason: try force.reason()
            )
            if let output {
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
                return
            }
            let outcome = try Ceremony.run(intent, store: store, present: present, bundle: nil)
            var display = EntryDisplayOptions()
            display.json = json
            try OutcomePrinter(display: display, bundlePath: nil).print(outcome, request: nil)
        }
    }
}
