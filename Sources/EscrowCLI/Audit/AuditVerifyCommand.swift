import ArgumentParser
import Escrow

/// `escrow audit verify [--anchor HASH]`.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the audit log's hash chain and signatures and that the store's files match it.",
        discussion: """
            Checks every record's sequence number, its link to the previous record, and its signature against the \
            roster as of that record; then that every store file is exactly what its last record says. Reports the \
            first problem with its line number. Prints the head hash: record it elsewhere (a ticket, a chat) and \
            pass it back with --anchor to prove the log was not rewritten or truncated since.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(
        help: ArgumentHelp(
            "A head hash printed by an earlier verify: it must still be in the chain.",
            valueName: "hash"
        )
    )
    var anchor: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let anchorBytes = try anchor.map { text -> [UInt8] in
                guard let bytes = Hex.decode(text.lowercased()), bytes.count == 32 else {
                    throw CLIError("--anchor must be a 64-digit hex head hash, as printed by 'escrow audit verify'")
                }
                return bytes
            }
            let opened = try store.open()
            let report = try opened.verifyAudit(anchor: anchorBytes)
            opened.reportRecovery()
            let head = Hex.encode(report.headHash)
            if json {
                var result: [String: JSONValue] = [
                    "ok": .bool(true), "records": .int(Int64(report.recordCount)), "head": .string(head),
                    "files": .int(Int64(report.fileHashes.count)),
                ]
                if let line = report.anchorLine { result["anchor_line"] = .int(Int64(line)) }
                Output.json(.object(result))
                return
            }
            Output.line(
                "Audit log verified: \(report.recordCount) records, hash chain and signatures intact, \(report.fileHashes.count) store files match."
            )
            if let line = report.anchorLine { Output.line("The anchor is record \(line) of the chain.") }
            Output.line("Head: \(head)")
        }
    }
}
