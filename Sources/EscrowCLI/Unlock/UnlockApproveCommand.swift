import ArgumentParser
import Escrow

/// `escrow unlock approve REQ --identity FILE [--out APPROVAL] [--yes] [--list]`.
struct UnlockApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a request: your share, re-encrypted to the request's key, signed; send it to the requester.",
        discussion: """
            Shows the vault, the action, the entries, the reason, the requester and the expiry, and asks you to \
            confirm (--yes for scripts; without a terminal and without --yes nothing is approved). Then your \
            identity opens your share of the vault and re-encrypts it so that only the requester can use it, \
            bound to this exact request. The store is not changed.

            A bulk re-split request (many vaults) is shown as a summary — how many vaults, the policy changes, the \
            reason, the requester, the expiry; --list shows every vault — and ONE approval carries your share of \
            every vault of the request you hold. Vaults you hold that cannot be approved now (re-split since, \
            released) are left out and named.
            """
    )

    @Argument(help: "The request file.")
    var request: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(
        name: .customLong("out"),
        help: ArgumentHelp("Write the approval here (default: standard output).", valueName: "file")
    )
    var output: String?

    @Flag(help: "Approve without asking (for scripts).")
    var yes = false

    @Flag(help: "For a request naming many vaults: list every vault you would approve, with its policy change.")
    var list = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            try Confirmation.requirePossible(assumeYes: yes)
            let parsed = try UnlockFiles.request(request)
            let file = try identity.readFile()
            let opened = try store.open()
            let say = Narration(toStandardOutput: output != nil)
            if parsed.targets.count > 1 {
                try approveBulk(parsed, file: file, store: opened, say: say)
                return
            }
            let (vault, custodian) = try opened.reviewApproval(of: parsed, by: file.publicIdentity)
            for line in RequestSummary.lines(parsed, vault: vault) { say.line(line) }
            say.line("  you:        \(custodian.name) (\(custodian.fingerprint)), share x=\(custodian.x)")
            try Confirmation.require("Approve request \(parsed.code)?", assumeYes: yes)
            let approver = try identity.unlock()
            let approval = try opened.approve(parsed, by: approver)
            opened.reportRecovery()
            try UnlockFiles.write(try approval.encoded(), to: output)
            say.line(
                "Approved request \(parsed.code) as \(custodian.name)\(output.map { "; approval written to \($0)" } ?? ""): send it to \(parsed.requester.name) (\(parsed.requester.fingerprint))."
            )
        }
    }

    private func approveBulk(_ parsed: UnlockRequest, file: IdentityFile, store: Store, say: Narration) throws {
        let review = try store.reviewBatchApproval(of: parsed, by: file.publicIdentity)
        for line in RequestSummary.bulkLines(parsed, review: review, list: list) { say.line(line) }
        try Confirmation.require(
            "Approve request \(parsed.code) for \(BulkSummary.vaults(review.held.count))?",
            assumeYes: yes
        )
        let approver = try identity.unlock()
        let batch = try store.approveBatch(parsed, by: approver)
        store.reportRecovery()
        try UnlockFiles.write(try batch.approval.encoded(), to: output)
        let late = batch.review.skipped.count - review.skipped.count
        if late > 0 {
            for skipped in batch.review.skipped.suffix(late) {
                StandardError.writeLine(NameRules.terminalSafe("warning: left out: \(skipped.error.cliMessage)"))
            }
        }
        say.line(
            "Approved request \(parsed.code) as \(file.publicIdentity.name): \(BulkSummary.vaults(batch.approval.shares.count)) in one approval\(output.map { " written to \($0)" } ?? ""); send it to \(parsed.requester.name) (\(parsed.requester.fingerprint))."
        )
    }
}
