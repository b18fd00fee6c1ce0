import ArgumentParser
import Escrow
import Platform

/// `escrow bundle open BUNDLE --identity CUSTOMER-ID [--json] [--out FILE]`.
struct BundleOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Verify an export bundle and print its entries (passwords, TOTP seeds and codes, notes).",
        discussion: """
            Checks the releaser's signature (compare the fingerprint shown with the one you were given) and opens \
            every entry with your identity: only the customer the bundle was sealed to can open it. TOTP entries \
            show their seed (to enrol a new device) and the current code. --out writes the same output to a new \
            file (mode 0600) instead of standard output.
            """
    )

    @Argument(help: "The bundle file.")
    var bundle: String

    @OptionGroup var identity: IdentityOptions

    @Flag(help: "Print the entries as JSON.")
    var json = false

    @Option(name: .customLong("out"), help: ArgumentHelp("Write the entries to this new file.", valueName: "file"))
    var output: String?

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let parsed = try ReleaseBundle.decode(try FileSystem.read(bundle, limit: 64 << 20), source: bundle)
            let customer = try identity.unlock()
            let entries = try parsed.open(with: customer)
            let file = try output.map { try AtomicFile(path: $0) }
            defer { file?.discard() }
            let printer = EntryPrinter(
                fd: file?.fd ?? 1,
                name: output ?? "standard output",
                showSeed: true,
                now: EscrowClock.system.now.secondsSinceEpoch
            )
            let account = parsed.vaultMetadata.keys.sorted().map { "\($0)=\(parsed.vaultMetadata[$0] ?? "")" }
            let summary = NameRules.terminalSafe(
                "Bundle of vault '\(parsed.vaultName)'\(account.isEmpty ? "" : " (\(account.joined(separator: " ")))"), released \(parsed.createdAt) by \(parsed.releaser.name) (\(parsed.releaser.fingerprint)) with the approvals of \(parsed.approvers.map(\.name).joined(separator: ", ")); signature verified. Reason: \(parsed.reason)"
            )
            if json {
                try printer.json(
                    entries,
                    members: [
                        "vault": .string(parsed.vaultName), "vault_id": .string(parsed.vaultID.description),
                        "vault_metadata": .object(parsed.vaultMetadata.mapValues(JSONValue.string)),
                        "released_at": .string(parsed.createdAt.description),
                        "releaser": .string(parsed.releaser.name),
                        "releaser_fingerprint": .string(parsed.releaser.fingerprint.description),
                        "reason": .string(parsed.reason),
                    ]
                )
            } else {
                if file == nil {
                    Output.line(summary)
                } else {
                    StandardError.writeLine(summary)
                }
                try printer.text(entries)
            }
            if let file, let output {
                try file.commit()
                StandardError.writeLine("\(entries.count) entries written to \(output).")
            }
        }
    }
}
