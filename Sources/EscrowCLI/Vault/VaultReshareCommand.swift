import ArgumentParser
import Escrow

/// `escrow vault reshare VAULT --threshold K --custodians a,b,c …` (one vault, exact policy), or in bulk:
/// `escrow vault reshare --all|--vaults a,b|VAULT [--remove NAME]… [--add NAME]… [--threshold K] --reason TEXT
/// --identity F --out REQ [--dry-run] [--list]`.
struct VaultReshareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reshare",
        abstract: "Re-split vaults' keys to a new policy (same keys, new shares, generation + 1); needs a quorum.",
        discussion: """
            One vault, exact policy: VAULT --threshold K --custodians a,b,c. The request names the new policy; a \
            quorum of the CURRENT custodians approves it like any unlock, and 'escrow unlock open' executes it: the \
            master key is rebuilt, split with a new random polynomial, each share encrypted to its new custodian, \
            and the old shares are gone. Without --out, the current custodians present (--identity repeated) do it \
            now.

            Many vaults at once (when a custodian leaves): --all (or --vaults a,b,c, or one VAULT) with --remove \
            NAME and/or --add NAME (repeatable) and optionally --threshold K. Each vault keeps its custodians minus \
            the removed ones, followed by the added ones (x = 1…n in that order), and its own threshold unless \
            --threshold is given. With --all, vaults that hold none of the removed custodians, released vaults and \
            (without --force) closed vaults are left out and reported; a vault that would keep fewer custodians \
            than its threshold is refused up front, by name. The request lists every vault with its generation and \
            exact new policy (--list shows them, --dry-run writes nothing). Each custodian approves ONCE for all the \
            vaults they hold ('escrow unlock approve'); 'escrow unlock open' re-splits every vault in one commit, \
            all or nothing unless --partial.
            """
    )

    @Argument(help: "The vault (one vault; or use --all / --vaults).")
    var vault: String?

    @Flag(help: "Every vault of the store (bulk).")
    var all = false

    @Option(help: ArgumentHelp("These vaults, comma-separated (bulk).", valueName: "names"))
    var vaults: String?

    @Option(help: ArgumentHelp("A custodian who leaves (repeatable; bulk).", valueName: "name"))
    var remove: [String] = []

    @Option(help: ArgumentHelp("A custodian who joins (repeatable; bulk).", valueName: "name"))
    var add: [String] = []

    @Option(help: "The new threshold (required with --custodians; in bulk, for every vault instead of its own).")
    var threshold: Int?

    @Option(help: ArgumentHelp("The new custodians of VAULT, comma-separated, in share order.", valueName: "names"))
    var custodians: String?

    @Option(help: "Why the vaults are re-split (recorded in the request and the audit log).")
    var reason: String

    @Option(help: "How long the request stays valid: 30m, 24h (default), up to 7d.")
    var ttl: String = "24h"

    @OptionGroup var force: ForceOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var present: PresentCustodians

    @Option(name: .customLong("out"), help: ArgumentHelp("Write a reshare request here.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("dry-run"), help: "Bulk: show what the request would re-split; write nothing.")
    var dryRun = false

    @Flag(help: "Bulk: list every vault with its current and new policy, and every vault left out.")
    var list = false

    @Flag(help: "Print the result of an in-room re-split as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let bulk = all || vaults != nil || !remove.isEmpty || !add.isEmpty || (custodians == nil && vault != nil)
            if bulk {
                try runBulk()
                return
            }
            guard let vault else {
                throw CLIError("name the vault (VAULT --threshold K --custodians a,b,c), or use --all / --vaults")
            }
            guard let custodians, let threshold else {
                throw CLIError("give --threshold K with --custodians a,b,c (or --remove / --add for a bulk re-split)")
            }
            guard !dryRun, !list else {
                throw CLIError("--dry-run and --list are for bulk re-splits (--all, --vaults, --remove, --add)")
            }
            let names = try Self.names(custodians, option: "--custodians")
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

    static func names(_ text: String, option: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard !names.contains("") else { throw CLIError("\(option) has an empty name (write a,b,c)") }
        return names
    }

    private func runBulk() throws {
        guard custodians == nil else {
            throw CLIError("--custodians names one vault's exact policy; in bulk use --remove / --add / --threshold")
        }
        let selection: ReshareChange.Selection
        switch (all, vaults, vault) {
        case (true, nil, nil): selection = .all
        case (false, let list?, nil): selection = .vaults(try Self.names(list, option: "--vaults"))
        case (false, nil, let one?): selection = .vaults([one])
        case (false, nil, nil): throw CLIError("say which vaults: --all, --vaults a,b,c or one VAULT")
        default: throw CLIError("give only one of VAULT, --all and --vaults")
        }
        let change = ReshareChange(
            selection: selection,
            remove: remove,
            add: add,
            threshold: threshold,
            reason: reason,
            forceReason: try force.reason()
        )
        let opened = try store.open()
        if dryRun {
            let plan = try opened.planReshare(change)
            opened.reportRecovery()
            let say = Narration(toStandardOutput: true)
            say.line("Would re-split \(BulkSummary.vaults(plan.items.count)) (nothing written):")
            Self.describe(plan, list: list, say: say)
            return
        }
        guard let output else {
            throw CLIError("a bulk re-split goes through a request: give --out FILE (or --dry-run to preview)")
        }
        let member = try present.single()
        let actor = try present.unlock([member])[0]
        let (request, plan) = try opened.makeReshareRequest(
            change,
            by: actor,
            lifetime: try TimeToLive.seconds(ttl)
        )
        opened.reportRecovery()
        try UnlockFiles.write(try request.encoded(), to: output)
        let say = Narration(toStandardOutput: true)
        say.line("Request \(request.code) written to \(output): re-split \(BulkSummary.vaults(plan.items.count)).")
        Self.describe(plan, list: list, say: say)
        say.line("It expires at \(request.expiresAt). Each vault needs a quorum of its current custodians.")
        say.line(
            NameRules.terminalSafe("Custodians (vaults held): \(BulkSummary.approvers(plan)); each approves once:")
        )
        say.line("  escrow unlock approve \(output) --identity THEIR.id --out THEIR-NAME.approval")
        say.line("Then: escrow unlock open \(output) APPROVAL... --identity \(member.path)")
    }

    /// The policy changes, what was left out, and with `list` every vault.
    static func describe(_ plan: ResharePlan, list: Bool, say: Narration) {
        for line in BulkSummary.changes(plan.changes) { say.line(NameRules.terminalSafe("  \(line)")) }
        if !plan.skipped.isEmpty {
            say.line(
                NameRules.terminalSafe(
                    "Left out: \(BulkSummary.skipped(plan.skipped.map(\.reason)))\(list ? "" : " (--list names them)")."
                )
            )
        }
        guard list else { return }
        for item in plan.items {
            say.line(
                NameRules.terminalSafe(
                    "  \(item.vault.name.padded(24)) generation \(item.vault.generation): \(BulkSummary.transition(item.vault.policy, item.target.newPolicy))"
                )
            )
        }
        for skipped in plan.skipped {
            say.line(NameRules.terminalSafe("  \(skipped.vaultName.padded(24)) left out: \(skipped.reason)"))
        }
    }
}
