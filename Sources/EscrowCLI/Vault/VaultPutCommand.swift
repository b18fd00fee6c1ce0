import ArgumentParser
import Escrow
import Sodium

/// `escrow vault put VAULT ENTRY [--kind K] [--generate [--length N] [--reveal]] [--value-file F] [--json]` and
/// `escrow vault put --batch FILE|-`: deposit a new credential version (or many, in one append).
struct VaultPutCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract:
            "Deposit a credential version: typed twice, from stdin or a file, or generated; or a JSON-lines batch.",
        discussion: """
            The value never comes from the command line or the environment. On a terminal it is typed twice at a \
            hidden prompt; otherwise it is read from standard input or --value-file. --generate makes a password \
            that meets cloud root-password rules; --reveal shows it once on the terminal (/dev/tty), never on \
            standard output or in JSON. --batch deposits JSON lines {"vault","entry","kind","value"} or \
            {"vault","entry","generate":true}: every line is checked first, then the deposits are written as one \
            signed deposit.batch event, which the store holds whole or not at all, even if the command is killed. \
            A batch of more than 1,000 lines (or about 16 MB) is written as several such events of up to 1,000 \
            deposits each: each of them is atomic, and a kill can leave the first ones written. With --batch-id ID \
            every deposit records "batch": "ID:LINE" in its public metadata, and a re-run with the same ID and the \
            identical file skips the lines you already deposited under that ID (deposits by anyone else never \
            count), so a job killed half-way is finished by running it again.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The vault.", completion: StoreCompletion.vaults)
    var vault: String?

    @Argument(help: "The entry, e.g. root-password or root-mfa.", completion: StoreCompletion.entries)
    var entry: String?

    @Option(help: "The entry's kind: password, totp or note.")
    var kind: EntryKind = .password

    @Flag(help: "Generate a password meeting cloud root-password rules instead of reading one.")
    var generate = false

    @Option(help: "The generated password's length (20-128, default 24).")
    var length: Int?

    @Option(name: .customLong("value-file"), help: ArgumentHelp("Read the value from this file.", valueName: "file"))
    var valueFile: String?

    @Flag(help: "Show the generated password once on the terminal.")
    var reveal = false

    @Option(help: ArgumentHelp("Deposit the JSON lines of FILE (or - for standard input).", valueName: "file"))
    var batch: String?

    @Option(
        name: .customLong("batch-id"),
        help: ArgumentHelp(
            "Name this batch (letters, digits, . _ -): a re-run with the same ID skips the lines already deposited.",
            valueName: "id"
        )
    )
    var batchID: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// The metadata member that tags a deposit with its batch and line (`--batch-id`).
    static let batchTag = "batch"

    /// Refuses option combinations that make no sense before anything runs (usage status 64).
    func validate() throws {
        if let batchID {
            guard batch != nil else { throw ValidationError("--batch-id names a --batch") }
            let allowed = batchID.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
            guard allowed, (1...64).contains(batchID.utf8.count) else {
                throw ValidationError("--batch-id takes 1 to 64 letters, digits, '.', '_' or '-'")
            }
        }
        if batch != nil {
            guard vault == nil, entry == nil, !generate, valueFile == nil, !reveal, length == nil else {
                throw ValidationError("--batch takes no VAULT ENTRY, --generate, --length, --value-file or --reveal")
            }
            return
        }
        guard vault != nil, entry != nil else {
            throw ValidationError("give VAULT and ENTRY (or --batch FILE)")
        }
        if generate {
            guard kind == .password else {
                throw ValidationError("--generate makes passwords, not \(kind.rawValue)s")
            }
            guard valueFile == nil else {
                throw ValidationError("--generate and --value-file exclude each other")
            }
        }
        if length != nil, !generate { throw ValidationError("--length goes with --generate") }
        if reveal, !generate { throw ValidationError("--reveal shows a generated password: add --generate") }
        if let length, !PasswordGenerator.allowedLengths.contains(length) {
            throw ValidationError("--length must be within \(PasswordGenerator.allowedLengths)")
        }
    }

    /// Refuses a deposit the store would refuse, before any secret is asked: an inactive vault (naming the
    /// custodians who must still acknowledge), a bad entry name, a kind that differs from the entry's.
    ///
    /// - Parameters:
    ///   - vault: The vault.
    ///   - entry: The entry.
    ///   - kind: The kind.
    /// - Throws: ``CLIError`` (exit 2 for a pending vault) or ``EscrowError`` for a bad entry name.
    static func checkWritable(_ vault: VaultState, entry: String, kind: EntryKind) throws {
        let name = vault.reference.name
        try NameRules.validateEntryName(entry)
        switch vault.status {
        case .active: break
        case .pending:
            throw CLIError(
                "vault '\(name)' is not active yet: custody not acknowledged by "
                    + vault.missingAcknowledgements.joined(separator: ", ")
                    + " (each runs 'escrow vault ack \(name)')",
                status: .notReady
            )
        case .closed:
            throw CLIError("vault '\(name)' is closed: reopen it first ('escrow vault reopen \(name) --reason R')")
        case .released:
            throw CLIError("vault '\(name)' was released to the customer: nothing more goes into it")
        }
        if let existing = vault.entries[entry]?.last, existing.kind != kind {
            throw CLIError(
                "entry '\(entry)' of '\(name)' holds \(existing.kind.rawValue) values, not \(kind.rawValue): "
                    + "pass --kind \(existing.kind.rawValue) or use another entry name"
            )
        }
    }

    /// Checks everything that needs no secret, then asks the passphrase and acts (see the discussion above).
    func execute() throws {
        let context = try store.open()
        if let batch {
            try depositBatch(batch, context: context)
            return
        }
        let ledger = context.ledger
        let actor = try VaultActor.check(identity, in: ledger, needsCustodian: false, doing: "deposit")
        let target = try VaultLookup.vault(vault ?? "", in: ledger)
        let name = target.reference.name
        let entry = entry ?? ""
        try Self.checkWritable(target, entry: entry, kind: kind)
        let label = "\(name)/\(entry)"
        let terminal = reveal ? try VaultValueReader.openTerminal() : nil
        let depositor = try identity.unlock()
        let prepared: EntryInput.Prepared
        if generate {
            prepared = EntryInput.Prepared(
                value: try PasswordGenerator.generate(length: length ?? PasswordGenerator.defaultLength),
                metadata: ["generated": "true"]
            )
        } else {
            let raw = try VaultValueReader.read(valueFile: valueFile, kind: kind, label: label)
            prepared = try EntryInput.prepare(raw, kind: kind, entryName: entry)
        }
        var random = StreamRandom()
        let event = try ledger.deposit(
            prepared.value,
            into: name,
            entry: entry,
            kind: kind,
            metadata: prepared.metadata,
            by: depositor,
            at: EscrowClock.system.now,
            random: &random
        )
        try context.append(
            [event],
            message: "\(kind.rawValue) \(label) deposited by \(actor.identity.name)",
            by: depositor
        )
        if let terminal { try VaultValueReader.reveal(prepared.value, label: label, on: terminal) }
        let version = ledger.state.vault(named: name)?.entries[entry]?.last
        let count = ledger.state.vault(named: name)?.entries[entry]?.count ?? 1
        if json {
            Console.json(
                .object([
                    "vault": .string(name), "entry": .string(entry), "kind": .string(kind.rawValue),
                    "version": .string(Hex.encode(version?.id ?? [])), "versions": .int(Int64(count)),
                    "generated": .bool(generate), "event": .string(event.id.description),
                ])
            )
            return
        }
        Console.line(
            "Deposited \(kind.rawValue) \(label), version \(count) (\(Hex.encode(version?.id ?? []).prefix(12))), "
                + "shared \(target.policy.threshold) of \(target.policy.custodians.count)"
                + (generate && !reveal ? "; the generated password was not shown: an unlock reveals it" : "") + "."
        )
    }

    /// `--batch`: checks every line, deals every deposit, appends them as `deposit.batch` events (one per chunk of
    /// 1,000), at once.
    private func depositBatch(_ path: String, context: StoreContext) throws {
        let ledger = context.ledger
        let actor = try VaultActor.check(identity, in: ledger, needsCustodian: false, doing: "deposit")
        let file = try VaultBatchFile(try VaultBatchFile.read(path), ledger: ledger)
        let (lines, skipped) = Self.remaining(file.lines, batchID: batchID, by: actor.identity.signingKey, in: ledger)
        if lines.isEmpty {
            let id = batchID ?? ""
            if json {
                Console.json(.object(["deposited": .int(0), "skipped": .int(Int64(skipped)), "events": .array([])]))
            } else {
                Console.line("Nothing to deposit: all \(skipped) line(s) of batch '\(id)' are already in the store.")
            }
            return
        }
        let depositor = try identity.unlock()
        var deposits: [Ledger.BatchDeposit] = []
        for line in lines {
            let tag = batchID.map { [Self.batchTag: "\($0):\(line.number)"] } ?? [:]
            if let value = line.value {
                let prepared = try EntryInput.prepare(value, kind: line.kind, entryName: line.entry)
                deposits.append(
                    Ledger.BatchDeposit(
                        value: prepared.value,
                        vault: line.vault,
                        entry: line.entry,
                        kind: line.kind,
                        metadata: prepared.metadata.merging(tag) { $1 }
                    )
                )
            } else {
                deposits.append(
                    Ledger.BatchDeposit(
                        value: try PasswordGenerator.generate(length: line.length),
                        vault: line.vault,
                        entry: line.entry,
                        kind: .password,
                        metadata: ["generated": "true"].merging(tag) { $1 }
                    )
                )
            }
        }
        var random = StreamRandom()
        let events = try ledger.depositBatch(deposits, by: depositor, at: EscrowClock.system.now, random: &random)
        let vaults = Set(lines.map(\.vault)).sorted()
        try context.append(
            events,
            message: "batch of \(deposits.count) deposits into \(vaults.count) vault(s) by \(actor.identity.name)"
        )
        let perVault = Dictionary(grouping: lines, by: \.vault).mapValues(\.count)
        // The event holding each line's deposit (chunks of at most DepositBatchBody.maximumItemCount, in order).
        var lineEvents: [Event] = []
        for event in events {
            let count =
                events.count == 1
                ? deposits.count : ((try? EventBody.decode(DepositBatchBody.self, of: event))?.deposits.count ?? 0)
            lineEvents += repeatElement(event, count: count)
        }
        if json {
            Console.json(
                .object([
                    "deposited": .int(Int64(deposits.count)), "skipped": .int(Int64(skipped)),
                    "events": .array(events.map { .string($0.id.description) }),
                    "vaults": .object(perVault.mapValues { .int(Int64($0)) }),
                    "deposits": .array(
                        zip(lines, lineEvents).map { line, event in
                            .object([
                                "line": .int(Int64(line.number)), "vault": .string(line.vault),
                                "entry": .string(line.entry), "kind": .string(line.kind.rawValue),
                                "generated": .bool(line.value == nil), "event": .string(event.id.description),
                            ])
                        }
                    ),
                ])
            )
            return
        }
        Console.line(
            "Deposited \(deposits.count) credential versions into \(vaults.count) vault(s) in "
                + (events.count == 1 ? "one atomic event:" : "\(events.count) atomic events:")
        )
        Console.table(["VAULT", "DEPOSITS"], vaults.map { [$0, String(perVault[$0] ?? 0)] })
        if skipped > 0 {
            Console.note("\(skipped) line(s) of batch '\(batchID ?? "")' were already in the store: skipped.")
        }
    }

    /// The lines of a batch still to deposit, and how many were skipped: with a batch id, a line is done when a
    /// version of its vault and entry carries `"batch": "ID:LINE"` and was deposited by `depositor` itself (a tag
    /// anyone else deposited never stops a rotation).
    static func remaining(
        _ lines: [VaultBatchFile.Line],
        batchID: String?,
        by depositor: [UInt8],
        in ledger: Ledger
    ) -> (lines: [VaultBatchFile.Line], skipped: Int) {
        guard let batchID else { return (lines, 0) }
        let remaining = lines.filter { line in
            let tag = "\(batchID):\(line.number)"
            let versions = ledger.state.vault(named: line.vault)?.entries[line.entry] ?? []
            return !versions.contains {
                $0.metadata[batchTag] == tag && ledger.graph.event($0.deposit)?.author.key == depositor
            }
        }
        return (remaining, lines.count - remaining.count)
    }
}

extension EntryKind: ExpressibleByArgument {}
