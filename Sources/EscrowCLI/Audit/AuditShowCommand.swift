import ArgumentParser
import Escrow

/// `escrow audit show [--vault NAME] [--json]`.
struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the audit log, oldest first (use 'escrow audit verify' to check it)."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Only records about this vault.")
    var vault: String?

    @Flag(help: "Print the records as a JSON array (each exactly as stored).")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let opened = try store.open()
            var records = try opened.auditRecords()
            opened.reportRecovery()
            if let vault {
                try NameRules.validateVaultName(vault)
                records = records.filter { $0.vault?.name == vault }
            }
            if json {
                var values: [JSONValue] = []
                for record in records { values.append(try JSONCoding.encode(record)) }
                Output.json(.array(values))
                return
            }
            if records.isEmpty {
                Output.line(vault.map { "No audit records for vault '\($0)'." } ?? "The audit log is empty.")
                return
            }
            for record in records {
                var line = "#\(record.seq)  \(record.time)  \(record.action.rawValue.padded(16))"
                line += "  \(record.actorName) (\(record.actor))"
                if let vault = record.vault { line += "  vault=\(vault.name)" }
                let details = record.details.keys.sorted().filter { $0 != "identity" && $0 != "public_key" }
                    .map { key in "\(key)=\(Self.display(key, record.details[key] ?? ""))" }
                if !details.isEmpty { line += "  " + details.joined(separator: " ") }
                if let reason = record.reason { line += "  reason=\"\(reason)\"" }
                // Records are signed, not trusted: never let one send control sequences to the terminal.
                Output.line(NameRules.terminalSafe(line))
            }
        }
    }

    /// Shortens long details for people (`--json` shows them whole): custodian lists by name only.
    static func display(_ key: String, _ value: String) -> String {
        guard key == "custodians" else { return value }
        return value.split(separator: ",").map { $0.split(separator: ":").first.map(String.init) ?? "" }.joined(
            separator: ","
        )
    }
}
