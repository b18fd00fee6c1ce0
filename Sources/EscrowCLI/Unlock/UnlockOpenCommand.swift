import ArgumentParser
import Escrow
import Platform
import Sodium

/// `escrow unlock open REQ APPROVAL… --identity FILE [--json] [--show-seed] [--bundle OUT]`.
struct UnlockOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract:
            "Execute a request with enough approvals: print the entries (or write the release bundle, or re-split).",
        discussion: """
            Verifies the request and every approval again (signatures, custodians of this vault and generation, \
            each counted once, this exact request, not expired, never executed before), then decrypts the shares \
            with the request's key (only the requester's identity opens it), checks each against its recorded \
            digest (a bad share is named), combines them, checks the key against the vault, and performs the \
            action with one audit record. A TOTP entry shows its current code and the seconds left (its seed only \
            with --show-seed).

            A bulk re-split request (many vaults) is checked vault by vault (a quorum of each vault's current \
            custodians, every share against its digest) and executed in ONE commit with one audit record per \
            vault. All or nothing: if a vault is not ready (re-split since the request, too few approvals) nothing \
            is changed; if a share turns out bad, the failure is recorded and nothing is re-split. With --partial \
            the good vaults are re-split and the others left unchanged and listed; the request then counts as \
            executed, so make a new one for the vaults left over.
            """
    )

    @Argument(help: "The request file.")
    var request: String

    @Argument(help: "The approval files.")
    var approvals: [String] = []

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var display: EntryDisplayOptions

    @Option(
        help: ArgumentHelp("For a release request: where to write the customer's export bundle.", valueName: "file")
    )
    var bundle: String?

    @Flag(help: "For a bulk re-split: re-split the vaults that are ready and good, leave the others unchanged.")
    var partial = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let parsed = try UnlockFiles.request(request)
            guard !approvals.isEmpty else { throw CLIError("give the approval files after the request file") }
            let files = try approvals.map(UnlockFiles.approval)
            if parsed.targets.count > 1 {
                guard bundle == nil else {
                    throw CLIError("--bundle is for release requests; request \(parsed.code) re-splits vaults")
                }
                try openBulk(parsed, files)
                return
            }
            guard !partial else { throw CLIError("--partial is for bulk re-split requests (many vaults)") }
            if parsed.action == .release {
                guard bundle != nil else {
                    throw CLIError("request \(parsed.code) releases a vault: give --bundle FILE for the export bundle")
                }
            } else if bundle != nil {
                throw CLIError("--bundle is for release requests; request \(parsed.code) is \(parsed.action.rawValue)")
            }
            let opened = try store.open()
            _ = try opened.requireQuorum(for: parsed, approvals: files)
            let staged = try bundle.map { try AtomicFile(path: $0) }
            defer { staged?.discard() }
            let requester = try identity.unlock()
            var rng = StreamRandom()
            let outcome = try opened.executeRequest(
                parsed,
                approvals: files,
                requester: requester,
                using: &rng,
                deliver: { (made) throws(EscrowError) in try OutcomePrinter.stage(made, in: staged) }
            )
            try staged?.commit()
            opened.reportRecovery()
            try OutcomePrinter(display: display, bundlePath: bundle).print(outcome, request: parsed)
        }
    }

    private func openBulk(_ parsed: UnlockRequest, _ files: [ApprovalFile]) throws {
        let opened = try store.open()
        try opened.batchQuorumReport(for: parsed, approvals: files).requireReady(partial: partial)
        let requester = try identity.unlock()
        var rng = StreamRandom()
        let outcome = try opened.executeBatchReshare(
            parsed,
            approvals: files,
            requester: requester,
            partial: partial,
            using: &rng
        )
        opened.reportRecovery()
        BulkOutcomePrinter(outcome: outcome).print(json: display.json)
    }
}

/// Prints what a bulk re-split did.
struct BulkOutcomePrinter {
    let outcome: BatchReshareOutcome

    func print(json: Bool) {
        for reshared in outcome.reshared {
            for bad in reshared.badShares {
                StandardError.writeLine(
                    NameRules.terminalSafe(
                        "warning: vault '\(reshared.vault.name)': a bad share was not needed: \(bad)"
                    )
                )
            }
        }
        if json {
            Output.json(
                .object([
                    "request": .string(outcome.request.code), "action": .string("reshare"),
                    "reshared": .array(
                        outcome.reshared.map {
                            .object([
                                "vault": .string($0.vault.name), "generation": .int($0.vault.generation),
                                "threshold": .int(Int64($0.vault.policy.threshold)),
                                "custodians": .array($0.vault.policy.custodians.map { .string($0.name) }),
                                "approvers": .array($0.approvers.map { .string($0.name) }),
                                "audit_seq": .int($0.record.seq),
                            ])
                        }
                    ),
                    "not_reshared": .array(
                        outcome.failed.map {
                            .object([
                                "vault": .string($0.vaultName), "reason": .string($0.error.cliMessage),
                                "audit_seq": $0.record.map { .int($0.seq) } ?? .null,
                            ])
                        }
                    ),
                ])
            )
            return
        }
        let seqs = outcome.records.map(\.seq)
        let range = seqs.count == 1 ? "audit record \(seqs[0])" : "audit records \(seqs.min() ?? 0)–\(seqs.max() ?? 0)"
        let approvers = Set(outcome.reshared.flatMap { $0.approvers.map(\.name) }).sorted().joined(separator: ", ")
        Output.line(
            NameRules.terminalSafe(
                "Re-split \(BulkSummary.vaults(outcome.reshared.count)) (request \(outcome.request.code), approved by \(approvers)) in one commit; \(range)."
            )
        )
        for line in BulkSummary.policies(outcome.reshared.map(\.vault.policy)) {
            Output.line(NameRules.terminalSafe("  \(line)"))
        }
        Output.line("Same keys, new shares: the shares of the previous generation no longer count.")
        if !outcome.failed.isEmpty {
            Output.line("Not re-split (\(outcome.failed.count)), left unchanged:")
            for failed in outcome.failed {
                Output.line(NameRules.terminalSafe("  \(failed.vaultName.padded(24)) \(failed.error.cliMessage)"))
            }
        }
    }
}

/// `--json`, `--show-seed`: how opened entries are shown.
struct EntryDisplayOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON (entries' values included).")
    var json = false

    @Flag(name: .customLong("show-seed"), help: "Also print TOTP seeds (base32), not only the current code.")
    var showSeed = false
}

/// Prints what an unlock did, for `unlock open`, the ceremony, and in-room release and re-split.
struct OutcomePrinter {
    let display: EntryDisplayOptions
    let bundlePath: String?

    /// Writes the bundle into the staged file (the file is moved into place only after the store commit).
    static func stage(_ bundle: ReleaseBundle, in file: AtomicFile?) throws(EscrowError) {
        guard let file else { throw EscrowError(.invalidInput, "no file for the export bundle (--bundle)") }
        do {
            let bytes = try bundle.encoded()
            try bytes.withUnsafeBytes { try file.write($0) }
            try file.sync()
        } catch let error as EscrowError {
            throw error
        } catch {
            throw EscrowError(.ioFailure, "\(error)")
        }
    }

    func print(_ outcome: UnlockOutcome, request: UnlockRequest?) throws {
        for bad in outcome.badShares {
            StandardError.writeLine("warning: a bad share was not needed: \(bad)")
        }
        let vault = outcome.vault
        let who = outcome.approvers.map(\.name).joined(separator: ", ")
        let via = request.map { "request \($0.code), approved by \(who)" } ?? "in-room ceremony with \(who)"
        let now = EscrowClock.system.now.secondsSinceEpoch
        switch outcome.result {
        case .opened(let entries):
            let printer = EntryPrinter(fd: 1, name: "standard output", showSeed: display.showSeed, now: now)
            if display.json {
                var members: [String: JSONValue] = [
                    "vault": .string(vault.name), "action": .string("open"),
                    "audit_seq": .int(outcome.record.seq),
                    "approvers": .array(outcome.approvers.map { .string($0.name) }),
                ]
                if let request { members["request"] = .string(request.code) }
                try printer.json(entries, members: members)
                return
            }
            Output.line(
                "Opened \(entries.count) entr\(entries.count == 1 ? "y" : "ies") of vault '\(vault.name)' (\(via)); audit record \(outcome.record.seq)."
            )
            try printer.text(entries)
        case .released(let bundle):
            if display.json {
                Output.json(
                    .object([
                        "vault": .string(vault.name), "action": .string("release"),
                        "state": .string(vault.state.rawValue),
                        "bundle": .string(bundlePath ?? ""), "bundle_id": .string(bundle.id.description),
                        "customer": .string(bundle.customer.name),
                        "customer_fingerprint": .string(bundle.customer.fingerprint.description),
                        "entries": .array(bundle.entries.map { .string($0.name) }),
                        "audit_seq": .int(outcome.record.seq),
                    ])
                )
                return
            }
            Output.line(
                "Vault '\(vault.name)' released to \(bundle.customer.name) (\(bundle.customer.fingerprint)) (\(via)); audit record \(outcome.record.seq)."
            )
            Output.line(
                "\(bundle.entries.count) entr\(bundle.entries.count == 1 ? "y" : "ies") sealed to the customer in \(bundlePath ?? "the bundle"); the vault is now released and refuses every unlock."
            )
            Output.line(
                "The customer opens it with: escrow bundle open \(bundlePath ?? "BUNDLE") --identity THEIR.id"
            )
        case .reshared:
            if display.json {
                Output.json(
                    .object([
                        "vault": .string(vault.name), "action": .string("reshare"),
                        "generation": .int(vault.generation),
                        "threshold": .int(Int64(vault.policy.threshold)),
                        "custodians": .array(vault.policy.custodians.map { .string($0.name) }),
                        "audit_seq": .int(outcome.record.seq),
                    ])
                )
                return
            }
            Output.line(
                "Vault '\(vault.name)' re-split to \(RequestSummary.policy(vault.policy)), generation \(vault.generation) (\(via)); audit record \(outcome.record.seq)."
            )
            Output.line("Same key, new shares: the shares of generation \(vault.generation - 1) no longer count.")
            for custodian in vault.policy.custodians {
                Output.line("    x=\(custodian.x)  \(custodian.name.padded(16))  \(custodian.fingerprint)")
            }
        }
    }
}
