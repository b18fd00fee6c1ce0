import ArgumentParser
import Escrow

/// `escrow unlock approve REQ --identity FILE [--out APPROVAL] [--yes]`.
struct UnlockApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a request: your share, re-encrypted to the request's key, signed; send it to the requester.",
        discussion: """
            Shows the vault, the action, the entries, the reason, the requester and the expiry, and asks you to \
            confirm (--yes for scripts; without a terminal and without --yes nothing is approved). Then your \
            identity opens your share of the vault and re-encrypts it so that only the requester can use it, \
            bound to this exact request. The store is not changed.
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

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            try Confirmation.requirePossible(assumeYes: yes)
            let parsed = try UnlockFiles.request(request)
            let file = try identity.readFile()
            let opened = try store.open()
            let (vault, custodian) = try opened.reviewApproval(of: parsed, by: file.publicIdentity)
            let say = Narration(toStandardOutput: output != nil)
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
}
