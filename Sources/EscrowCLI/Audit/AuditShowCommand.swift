import ArgumentParser
import Escrow

/// `escrow audit show [--vault V] [--actor NAME] [--action TYPE] [--since T] [--until T] [--request ID]`: the log,
/// one line per event, then the findings.
struct AuditShowCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the event log: time, actor, action, vaults, summary and reason per event, then the findings.",
        discussion:
            "Times are UTC, written YYYY-MM-DDTHH:MM:SSZ; --until is exclusive. Filters combine (all must match)."
    )

    @Option(help: "Only events concerning this vault.", completion: StoreCompletion.vaults)
    var vault: String?

    @Option(help: "Only events by this member.")
    var actor: String?

    @Option(
        help:
            "Only events of this type (genesis, roster, vault.create, custody, deposit, request, approval, execution)."
    )
    var action: String?

    @Option(help: ArgumentHelp("Only events at or after this time.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only events before this time.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Only this request (an id prefix), its approvals and execution.", valueName: "id"))
    var request: String?

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Checks the arguments before anything is read or asked.
    func validate() throws {
        for (option, value) in [("--since", since), ("--until", until)] {
            if let value, UTCTime(value) == nil {
                throw ValidationError("\(option) '\(value)' is not a time like 2026-01-31T12:00:00Z")
            }
        }
        if let action, EventType(rawValue: action) == nil {
            let known = EventType.allCases.map(\.rawValue)
            throw ValidationError("--action '\(action)' is not an event type (\(known.joined(separator: ", ")))")
        }
    }

    /// Runs the command (see the type's documentation).
    func execute() throws {
        let context = try store.open()
        let filter = AuditFilter(
            vault: vault,
            actor: actor,
            action: action,
            since: since.flatMap(UTCTime.init),
            until: until.flatMap(UTCTime.init),
            request: request?.lowercased()
        )
        let entries = context.ledger.audit(filter)
        let findings = context.ledger.state.findings
        try context.saveTrust()
        if json {
            Console.json(
                .object([
                    "entries": try JSONCoding.encode(entries),
                    "findings": .array(findings.map(AuditVerifyCommand.json)),
                ])
            )
            return
        }
        Console.table(
            ["TIME", "ACTOR", "ACTION", "VAULTS", "SUMMARY", "REASON"],
            entries.map { entry in
                [
                    entry.time.description, entry.actor, entry.action,
                    entry.vaults.isEmpty ? "-" : entry.vaults.joined(separator: ","),
                    entry.summary + entry.findings.map { " [\($0)]" }.joined(), entry.reason ?? "-",
                ]
            }
        )
        Console.line("\(entries.count) event(s) shown.")
        for finding in findings { Console.line("finding: \(finding)") }
    }
}
