import ArgumentParser
import Escrow

/// `escrow unlock status REQ [APPROVAL…]`: who approved, what is missing; needs no secret.
struct UnlockStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show who approved a request, which approvals do not count and why, and how many more are needed.",
        discussion: "Needs no identity and no secret; changes nothing."
    )

    @Argument(help: "The request file.")
    var request: String

    @Argument(help: "Approval files collected so far.")
    var approvals: [String] = []

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "For a request naming many vaults: one line per vault (ready or not, approvals counted).")
    var list = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let parsed = try UnlockFiles.request(request)
            var files: [ApprovalFile] = []
            var unreadable: [(String, String)] = []
            for path in approvals {
                do {
                    files.append(try UnlockFiles.approval(path))
                } catch {
                    unreadable.append((path, "\(error)"))
                }
            }
            let opened = try store.open()
            if parsed.targets.count > 1 {
                let report = try opened.batchQuorumReport(for: parsed, approvals: files)
                opened.reportRecovery()
                try BulkStatus(report: report, unreadable: unreadable, list: list).print(json: json)
                return
            }
            let report = try opened.quorumReport(for: parsed, approvals: files)
            opened.reportRecovery()
            let notCounted =
                unreadable.map { "\($0.0): \($0.1)" }
                + report.notCounted.map { "\($0.source): \($0.error.cliMessage)" }
            if json {
                Output.json(
                    .object([
                        "request": .string(parsed.code), "request_id": .string(parsed.id.description),
                        "action": .string(parsed.action.rawValue), "vault": .string(report.vault.name),
                        "threshold": .int(Int64(report.threshold)),
                        "approved": .array(
                            report.counted.map {
                                .object([
                                    "name": .string($0.custodian.name),
                                    "fingerprint": .string($0.custodian.fingerprint.description),
                                    "approved_at": .string($0.approval.approvedAt.description),
                                    "file": .string($0.source),
                                ])
                            }
                        ),
                        "not_counted": .array(notCounted.map(JSONValue.string)),
                        "problems": .array(report.problems.map { .string($0.cliMessage) }),
                        "missing": .int(Int64(report.missing)),
                        "could_approve": .array(report.remaining.map { .string($0.name) }),
                        "ready": .bool(report.isReady && unreadable.isEmpty),
                    ])
                )
                return
            }
            for line in RequestSummary.lines(parsed, vault: report.vault) { Output.line(line) }
            Output.line(
                "Approved (\(report.counted.count) of the \(report.threshold) needed):"
                    + (report.counted.isEmpty ? " none yet" : "")
            )
            for counted in report.counted {
                Output.line(
                    "  \(counted.custodian.name.padded(16))  \(counted.custodian.fingerprint)  at \(counted.approval.approvedAt)  (\(counted.source))"
                )
            }
            if !notCounted.isEmpty {
                Output.line("Not counted:")
                for line in notCounted { Output.line(NameRules.terminalSafe("  " + line)) }
            }
            for problem in report.problems { Output.line("Blocked: \(problem.cliMessage)") }
            if report.missing > 0 {
                Output.line(
                    "\(report.missing) more approval\(report.missing == 1 ? "" : "s") needed, from any of \(report.remaining.map(\.name).joined(separator: ", "))."
                )
            } else if report.problems.isEmpty {
                Output.line(
                    notCounted.isEmpty
                        ? "Ready: \(parsed.requester.name) can run 'escrow unlock open' with these approvals."
                        : "Enough approvals: leave out the ones not counted when running 'escrow unlock open'."
                )
            }
        }
    }
}
