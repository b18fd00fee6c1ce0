import ArgumentParser
import Escrow

/// `escrow vault reshare (VAULT ... | --all) [--remove NAME]... [--add NAME]... [--threshold K] --reason R
/// [--ttl 24h] [--dry-run] [--json]`: one re-split request for every target (a single vault is a batch of one).
struct VaultReshareCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "reshare",
        abstract: "Request one re-split of one or many vaults: remove or add custodians, change the threshold.",
        discussion: """
            --all targets every active or closed vault the change affects (with --remove NAME: every vault NAME \
            holds shares of). Released vaults are never re-split and pending ones wait for custody: both are \
            skipped, not refused. --dry-run prints, per vault, what would happen and asks nothing. Custodians the \
            re-split adds acknowledge custody with 'escrow vault ack --request ID'; approvers run \
            'escrow unlock approve ID'; then 'escrow unlock execute ID' makes the new generation. Every approver \
            re-splits every share it holds in one event, so a large re-split is cut into several requests of at \
            most --shares-per-request new shares each (every vault whole in one of them; about 70 MB per approval \
            at the default): approve and execute each.
            """
    )

    /// What happens to one vault.
    enum Outcome {
        /// Re-split with this target.
        case resplit(RequestTarget, String)
        /// Skipped, with the reason.
        case skipped(String)
        /// Not concerned by the change.
        case unaffected(String)
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var request: VaultRequestOptions

    @Argument(help: "The vaults (or --all).", completion: StoreCompletion.vaults)
    var vaults: [String] = []

    @Flag(help: "Every vault the change affects.")
    var all = false

    @Option(
        help: ArgumentHelp("A custodian leaving (repeatable).", valueName: "name"),
        completion: StoreCompletion.members
    )
    var remove: [String] = []

    @Option(help: ArgumentHelp("A custodian joining (repeatable).", valueName: "name"))
    var add: [String] = []

    @Option(help: "The new threshold (default: keep each vault's).")
    var threshold: Int?

    @Flag(name: .customLong("dry-run"), help: "Print what would happen to each vault; write nothing.")
    var dryRun = false

    @Option(
        name: .customLong("shares-per-request"),
        help: ArgumentHelp(
            "At most this many new shares (versions × new custodians) per request; a larger re-split is cut into "
                + "several requests.",
            valueName: "n"
        )
    )
    var sharesPerRequest = ReshareBatching.defaultMaximumWeight

    /// Refuses option combinations that make no sense before anything runs (usage status 64).
    func validate() throws {
        guard all != !vaults.isEmpty else { throw ValidationError("name the vaults or pass --all (not both)") }
        guard !remove.isEmpty || !add.isEmpty || threshold != nil else {
            throw ValidationError("nothing changes: give --remove, --add or --threshold")
        }
        if let name = remove.first(where: add.contains) {
            throw ValidationError("'\(name)' is both removed and added")
        }
        guard sharesPerRequest >= 1 else { throw ValidationError("--shares-per-request must be at least 1") }
        if !dryRun { try request.requireReason() }
    }

    /// The outcome for one vault.
    private func outcome(_ vault: VaultState, ledger: Ledger, explicit: Bool) throws -> Outcome {
        let name = vault.reference.name
        switch vault.status {
        case .released: return .skipped("released: never re-split")
        case .pending:
            return .skipped(
                "pending: custody not acknowledged by \(vault.missingAcknowledgements.joined(separator: ", "))"
            )
        case .active, .closed: break
        }
        let current = vault.policy.custodians.map(\.name)
        let removing = explicit ? remove : remove.filter(current.contains)
        let adding = explicit ? add : add.filter { !current.contains($0) }
        if !explicit, !remove.isEmpty, removing.isEmpty {
            return .unaffected("\(remove.joined(separator: ", ")) hold(s) no share of it")
        }
        if removing.isEmpty, adding.isEmpty, threshold == nil || threshold == vault.policy.threshold {
            return .unaffected("the policy would not change")
        }
        let target: RequestTarget
        do {
            target = try ledger.resplitTarget(vault: name, remove: removing, add: adding, threshold: threshold)
        } catch {
            throw CLIError("vault '\(name)': \(error.message) (nothing was written)")
        }
        let policy = target.policy ?? vault.policy
        var change =
            "\(vault.policy.threshold)-of-\(vault.policy.custodians.count) -> "
            + "\(policy.threshold)-of-\(policy.custodians.count)"
        if !removing.isEmpty { change += ", removes \(removing.joined(separator: ", "))" }
        if !adding.isEmpty { change += ", adds \(adding.joined(separator: ", "))" }
        if vault.status == .closed { change += " (closed vault)" }
        return .resplit(target, change)
    }

    /// Checks everything that needs no secret, then asks the passphrase and acts (see the discussion above).
    func execute() throws {
        if !dryRun { _ = try request.checked() }
        let context = try store.open()
        let ledger = context.ledger
        if !dryRun { _ = try VaultActor.check(identity, in: ledger, needsCustodian: true, doing: "make requests") }
        let custodians = ledger.state.custodians.map(\.identity.name)
        for name in add where !custodians.contains(name) {
            let suggestion = NameSuggestion.closest(to: name, among: custodians)
            throw CLIError(
                "--add '\(NameRules.printable(name))' is not a custodian of this store"
                    + (suggestion.map { " (did you mean '\($0)'?)" } ?? "") + ": 'escrow custodian add' first"
            )
        }
        if all {
            for name in remove
            where !ledger.state.vaults.values.contains(where: { $0.policy.custodians.contains { $0.name == name } }) {
                throw CLIError(
                    "--remove '\(NameRules.printable(name))' holds no share of any vault: nothing to re-split"
                )
            }
        }
        let chosen: [VaultState] =
            all
            ? ledger.state.vaults.values.sorted { $0.reference.name < $1.reference.name }
            : try vaults.map { try VaultLookup.vault($0, in: ledger) }
        var plan: [(VaultState, Outcome)] = []
        for vault in chosen { plan.append((vault, try outcome(vault, ledger: ledger, explicit: !all))) }
        let targets = plan.compactMap { entry -> RequestTarget? in
            if case .resplit(let target, _) = entry.1 { return target }
            return nil
        }
        if dryRun || targets.isEmpty {
            if !dryRun {
                throw CLIError("nothing to re-split: no chosen vault is affected (see --dry-run); nothing was written")
            }
            printPlan(plan)
            return
        }
        if !request.json { printPlan(plan, summarized: plan.count > Self.listedVaults) }
        let added = Set(
            targets.flatMap { target in
                (target.policy?.custodians ?? []).map(\.name).filter { name in
                    ledger.state.vault(target.vault)?.policy.custodians.contains { $0.name == name } == false
                }
            }
        ).sorted()
        let steps =
            added.isEmpty
            ? []
            : [
                "new custodians (\(added.joined(separator: ", "))) acknowledge custody: escrow vault ack --request {id}"
            ]
        let batches = ReshareBatching.batches(targets, in: ledger.state, maximumWeight: sharesPerRequest)
        try request.make(.resplit, batches: batches, recipient: nil, context: context, identity: identity, steps: steps)
    }

    /// Above this many vaults, a re-split (not a dry run) prints its plan counted by outcome instead of vault by vault.
    static let listedVaults = 20

    /// The per-vault plan, as a table or JSON; `summarized`, one line per distinct outcome and detail with its count.
    private func printPlan(_ plan: [(VaultState, Outcome)], summarized: Bool = false) {
        let rows: [(String, String, String)] = plan.map { vault, outcome in
            switch outcome {
            case .resplit(_, let change): return (vault.reference.name, "re-split", change)
            case .skipped(let reason): return (vault.reference.name, "skipped", reason)
            case .unaffected(let reason): return (vault.reference.name, "unaffected", reason)
            }
        }
        if summarized {
            Console.line("\(Console.counted(rows.count, "vault")) (--dry-run lists every one):")
            for (key, group) in OrderedGroups.of(rows, by: { "\($0.1): \($0.2)" }) {
                Console.line("  \(Console.counted(group.count, "vault")) \(key)")
            }
            return
        }
        if request.json, dryRun {
            Console.json(
                .object([
                    "dry_run": .bool(true),
                    "vaults": .array(
                        rows.map {
                            .object(["vault": .string($0.0), "outcome": .string($0.1), "detail": .string($0.2)])
                        }
                    ),
                ])
            )
            return
        }
        Console.table(["VAULT", "OUTCOME", "DETAIL"], rows.map { [$0.0, $0.1, $0.2] })
    }
}
