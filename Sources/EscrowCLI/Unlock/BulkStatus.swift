import Escrow

/// `escrow unlock status` of a request naming many vaults: the approval files that count and those that do not, how
/// many vaults are ready, and why each of the others is not.
struct BulkStatus {
    let report: BatchQuorumReport
    let unreadable: [(String, String)]
    let list: Bool

    func print(json: Bool) throws {
        let request = report.request
        let notCounted =
            unreadable.map { "\($0.0): \($0.1)" } + report.notCounted.map { "\($0.source): \($0.error.cliMessage)" }
        let notReady = report.notReady
        if json {
            Output.json(
                .object([
                    "request": .string(request.code), "request_id": .string(request.id.description),
                    "action": .string(request.action.rawValue), "vaults": .int(Int64(report.targets.count)),
                    "approved": .array(
                        report.counted.map {
                            .object([
                                "name": .string($0.approval.approver.name),
                                "fingerprint": .string($0.approval.approver.fingerprint.description),
                                "approved_at": .string($0.approval.approvedAt.description),
                                "file": .string($0.source),
                                "shares": .int(Int64($0.approval.shares.count)),
                            ])
                        }
                    ),
                    "not_counted": .array(notCounted.map(JSONValue.string)),
                    "problems": .array(report.problems.map { .string($0.cliMessage) }),
                    "ready_vaults": .int(Int64(report.ready.count)),
                    "not_ready": .array(
                        notReady.map {
                            .object([
                                "vault": .string($0.target.vaultName),
                                "reason": .string($0.blocker(in: request)?.cliMessage ?? ""),
                            ])
                        }
                    ),
                    "ready": .bool(report.isReady && unreadable.isEmpty),
                ])
            )
            return
        }
        Output.line(
            NameRules.terminalSafe(
                "Request \(request.code) from \(request.requester.name) (\(request.requester.fingerprint)): re-split \(BulkSummary.vaults(report.targets.count))"
            )
        )
        Output.line(NameRules.terminalSafe("  reason:     \(request.reason)"))
        Output.line("  expires:    \(request.expiresAt)")
        Output.line(
            "Approvals counted (\(report.counted.count)):" + (report.counted.isEmpty ? " none yet" : "")
        )
        for file in report.counted {
            let approver = file.approval.approver
            Output.line(
                NameRules.terminalSafe(
                    "  \(approver.name.padded(16))  \(approver.fingerprint)  \(BulkSummary.vaults(file.approval.shares.count))  at \(file.approval.approvedAt)  (\(file.source))"
                )
            )
        }
        if !notCounted.isEmpty {
            Output.line("Not counted:")
            for line in notCounted { Output.line(NameRules.terminalSafe("  " + line)) }
        }
        for problem in report.problems { Output.line(NameRules.terminalSafe("Blocked: \(problem.cliMessage)")) }
        Output.line("Ready: \(report.ready.count) of \(BulkSummary.vaults(report.targets.count)).")
        let shown = list ? notReady : Array(notReady.prefix(10))
        if !notReady.isEmpty {
            Output.line("Not ready (\(notReady.count)):")
            for target in shown {
                Output.line(
                    NameRules.terminalSafe(
                        "  \(target.target.vaultName.padded(24)) \(target.blocker(in: request)?.cliMessage ?? "")"
                    )
                )
            }
            if shown.count < notReady.count { Output.line("  … and \(notReady.count - shown.count) more (--list)") }
        }
        if list {
            for target in report.ready {
                Output.line(
                    NameRules.terminalSafe(
                        "  \(target.target.vaultName.padded(24)) ready: \(target.shares.map(\.custodian.name).joined(separator: ", ")) (\(target.threshold) needed)"
                    )
                )
            }
        }
        guard report.problems.isEmpty else { return }
        if report.isReady, unreadable.isEmpty {
            Output.line(
                NameRules.terminalSafe(
                    "Ready: \(request.requester.name) can run 'escrow unlock open' with these approvals."
                )
            )
        } else if notCounted.isEmpty, !report.ready.isEmpty {
            Output.line(
                "'escrow unlock open --partial' would re-split the \(BulkSummary.vaults(report.ready.count)) that are ready and leave the others unchanged."
            )
        } else if !notCounted.isEmpty {
            Output.line("Leave out the approvals not counted when running 'escrow unlock open'.")
        }
    }
}
