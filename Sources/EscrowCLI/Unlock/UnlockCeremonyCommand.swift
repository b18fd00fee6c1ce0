import ArgumentParser
import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `escrow unlock ceremony …`: every custodian in the room approves in turn on one terminal, then the room's
/// machine carries the request out.
struct UnlockCeremonyCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "ceremony",
        abstract: "Approve and carry out a request in the room, on one terminal.",
        discussion: """
            'escrow unlock ceremony VAULT [--entry E]... --reason R --identity A.id --identity B.id …' makes an \
            open request on behalf of the first identity (the requester) with a key held only in this process's \
            memory, shows each listed custodian the approve screen in turn and asks for its passphrase (no echo), \
            then combines the shares ON THIS MACHINE, prints the values and records everything in the store. \
            'escrow unlock ceremony ID --identity …' collects the approvals of an existing release, re-split, close \
            or reopen request and executes it. Passphrase files, if used, come as repeated --passphrase-file in \
            the same order as --identity.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(
        help: "A vault (an open made in the room) or the id of an existing request.",
        completion: StoreCompletion.vaults
    )
    var target: String

    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp(
            "A custodian present (repeat; the first requests).",
            valueName: "file"
        )
    )
    var identities: [String] = []

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "The passphrase of each --identity, in the same order (default: asked on the terminal).",
            valueName: "file"
        )
    )
    var passphraseFiles: [String] = []

    @Option(
        name: .customLong("entry"),
        help: "An entry to open (repeatable; default: every entry).",
        completion: StoreCompletion.entries
    )
    var entries: [String] = []

    @Option(help: "Why (an open made in the room): every approver sees it, and the store records it.")
    var reason: String?

    @Option(help: "How long approvals are accepted (an open made in the room).")
    var ttl: String = "1h"

    @Flag(help: "Open a closed vault (the reason is recorded).")
    var force = false

    @Option(help: ArgumentHelp("Where to write the customer's bundle (a release).", valueName: "file"))
    var bundle: String?

    @Flag(help: "Approve without the question (for scripts).")
    var yes = false

    @Flag(name: .customLong("show-seed"), help: "Also print the seed of a TOTP entry (base32).")
    var showSeed = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard !identities.isEmpty else { throw ValidationError("name the custodians present with --identity FILE") }
        guard Set(identities).count == identities.count else { throw ValidationError("an --identity is named twice") }
        guard passphraseFiles.isEmpty || passphraseFiles.count == identities.count else {
            throw ValidationError(
                "give one --passphrase-file per --identity (\(identities.count)), or none to type them"
            )
        }
    }

    /// The identity files, read and checked (no passphrase yet).
    private func readIdentities(_ ledger: Ledger) throws -> [IdentityFile] {
        var files: [IdentityFile] = []
        for path in identities {
            try PrivateFile.requirePrivateIdentity(path)
            let file = try IdentityFile.decode(try FileSystem.read(path, limit: 1 << 16), source: path)
            guard ledger.state.members[file.publicIdentity.signingKey] != nil else {
                throw CLIError("\(file.publicIdentity.name) (\(path)) is not a member of this store: leave it out")
            }
            guard !files.contains(where: { $0.publicIdentity.signingKey == file.publicIdentity.signingKey }) else {
                throw CLIError("\(path) is \(file.publicIdentity.name) again: each custodian approves once")
            }
            files.append(file)
        }
        return files
    }

    /// Asks one custodian and unlocks its identity.
    private func unlock(_ file: IdentityFile, index: Int) throws -> CustodianIdentity {
        let source = passphraseFiles.isEmpty ? PassphraseSource.terminal : .file(passphraseFiles[index])
        let identity = file.publicIdentity
        let passphrase = try source.read(prompt: "Passphrase for \(identity.name) (\(identity.fingerprint)): ")
        return try file.unseal(passphrase: passphrase, allowTestProfile: TestProfile.isAllowed)
    }

    func execute() throws {
        let context = try UnlockContext.open(store)
        let ledger = context.ledger
        let files = try readIdentities(ledger)
        if ledger.state.vault(named: target) != nil {
            try openInTheRoom(context, files: files)
        } else {
            try carryOut(context, files: files)
        }
    }

    /// An open made, approved and opened in the room.
    private func openInTheRoom(_ context: StoreContext, files: [IdentityFile]) throws {
        let ledger = context.ledger
        guard let reason else { throw CLIError("an open in the room needs --reason: every approver sees it") }
        try NameRules.validateReason(reason)
        let seconds = try TimeToLive.seconds(ttl)
        guard bundle == nil else { throw CLIError("--bundle is for a release request, not an open") }
        guard let vault = ledger.state.vault(named: target) else { return }
        if vault.status == .closed, !force {
            throw CLIError("vault '\(target)' is closed: pass --force to open it anyway (the reason is recorded)")
        }
        let requestTarget = try ledger.versionsTarget(vault: target, entries: entries)
        // Refusals from here on are the requester's `unlock open` attempts (before the request exists: none named).
        try QuorumAttempt.recording("unlock open", request: nil, context: context, author: files[0]) {
            for id in requestTarget.versions {
                guard let version = vault.version(id.bytes) else { continue }
                let present = files.filter { version.x(ofHolder: $0.publicIdentity.signingKey) != nil }.count
                guard present >= version.threshold else {
                    throw CLIError(
                        "the custodians present hold \(Console.counted(present, "share")) of \(version.entry), which "
                            + "needs \(version.threshold): bring more custodians (nothing was written)",
                        status: .notReady
                    )
                }
            }
        }
        try Confirmation.requirePossible(assumeYes: yes)
        Console.note(
            "Ceremony: the room's machine makes the request, collects each approval, then combines the shares "
                + "here and shows the values on this screen."
        )
        let keys = BoxKeyPair()
        let (requester, request) = try QuorumAttempt.recording(
            "unlock open",
            request: nil,
            context: context,
            author: files[0]
        ) { () throws -> (CustodianIdentity, Event) in
            let requester = try unlock(files[0], index: 0)
            let now = EscrowClock.system.now
            let request = try ledger.request(
                .open,
                targets: [requestTarget],
                recipient: RequestRecipient(
                    name: "\(requester.publicIdentity.name) (ceremony key)",
                    key: keys.publicKey
                ),
                reason: reason,
                expiresAt: UTCTime(secondsSinceEpoch: now.secondsSinceEpoch + seconds),
                force: force,
                by: requester,
                at: now
            )
            return (requester, request)
        }
        try context.append(
            [request],
            message: "open request \(request.id.short) on \(target) (ceremony)",
            by: requester
        )
        _ = try collectApprovals(context, request: request.id, files: files, unlocked: [0: requester])
        let (versions, event) = try QuorumAttempt.recording(
            "unlock open",
            request: request.id,
            context: context,
            author: files[0]
        ) { () throws -> ([OpenedVersion], Event) in
            let (versions, event) = try ledger.open(
                request.id,
                requestKeys: keys,
                by: requester,
                at: EscrowClock.system.now
            )
            try context.append([event], message: "open of request \(request.id.short) (ceremony)", by: requester)
            return (versions, event)
        }
        for version in versions {
            for refusal in version.refusedApprovals { Console.warning(refusal) }
        }
        let printer = EntryPrinter(
            fd: STDOUT_FILENO,
            name: "standard output",
            showSeed: showSeed,
            now: EscrowClock.system.now.secondsSinceEpoch
        )
        if json {
            try printer.json(
                versions,
                members: [
                    "request": .string(request.id.description), "execution": .string(event.id.description),
                ]
            )
        } else {
            Console.note("Opened request \(request.id.short) on this machine (recorded as event \(event.id.short)).")
            try printer.text(versions)
        }
    }

    /// Approvals of an existing request by everyone present who can still approve, then its execution.
    private func carryOut(_ context: StoreContext, files: [IdentityFile]) throws {
        let now = EscrowClock.system.now
        let request = try UnlockRequest.find(target, in: context.ledger)
        let short = request.id.short
        if request.action == .open {
            throw CLIError(
                "request \(short) is an open: its requester opens it with 'escrow unlock open \(short)'; in the "
                    + "room, run 'escrow unlock ceremony VAULT --entry … --reason …' instead"
            )
        }
        // Refusals of the request itself, and of its execution, are the executor's `unlock execute` attempts.
        try QuorumAttempt.recording("unlock execute", request: request.id, context: context, author: files[0]) {
            try request.checkNotDone(at: now)
            if request.action == .release {
                guard let bundle else { throw CLIError("request \(short) is a release: pass --bundle FILE") }
                if FileSystem.exists(bundle) {
                    throw CLIError("\(bundle) already exists: choose a new file for the customer's bundle")
                }
            }
        }
        let approving = files.filter {
            !request.isApproved(by: $0.publicIdentity.signingKey) && request.canApprove($0.publicIdentity.signingKey)
        }
        for file in files where !approving.contains(where: { $0.publicIdentity == file.publicIdentity }) {
            Console.note(
                "\(file.publicIdentity.name) cannot add an approval to request \(short) (already approved or holds nothing)"
            )
        }
        try Confirmation.requirePossible(assumeYes: yes)
        Console.note("Ceremony: each custodian approves in turn; then this machine executes the request.")
        let unlocked = try collectApprovals(context, request: request.id, files: files, unlocked: [:])
        let updated = try UnlockRequest.find(request.id.description, in: context.ledger)
        let (event, written) = try QuorumAttempt.recording(
            "unlock execute",
            request: request.id,
            context: context,
            author: files[0]
        ) { () throws -> (Event, String?) in
            guard updated.isReady else {
                throw CLIError(
                    "request \(short) is still not ready: "
                        + UnlockRequest.lines(of: updated.progress.filter { !$0.isReady })
                        .joined(separator: "; "),
                    status: .notReady
                )
            }
            try UnlockExecuteCommand.check(updated, bundle: bundle, now: EscrowClock.system.now)
            Console.note("\(files[0].publicIdentity.name) executes the request on this machine.")
            let executor = try unlocked[0] ?? unlock(files[0], index: 0)
            let event = try context.ledger.execute(request.id, by: executor, at: EscrowClock.system.now)
            var written: String?
            if request.action == .release, let bundle {
                let bytes = try context.ledger.releaseBundle(for: request.id).encoded()
                try AtomicFile.write(bytes, to: bundle, mode: 0o600)
                written = bundle
            }
            try context.append(
                [event],
                message: "execution of \(request.action.rawValue) request \(short) (ceremony)",
                by: executor
            )
            return (event, written)
        }
        if json {
            Console.json(
                .object([
                    "request": .string(request.id.description), "execution": .string(event.id.description),
                    "bundle": written.map(JSONValue.string) ?? .null,
                ])
            )
            return
        }
        Console.line("Executed \(request.action.rawValue) request \(short) (event \(event.id.short)).")
        for change in updated.consequences(done: true) { Console.line("  \(change)") }
        if let written { Console.line("Customer bundle written to \(written).") }
    }

    /// Shows the approve screen to each custodian present who can approve, asks, unlocks and appends its approval.
    private func collectApprovals(
        _ context: StoreContext,
        request id: EventID,
        files: [IdentityFile],
        unlocked: [Int: CustodianIdentity]
    ) throws -> [Int: CustodianIdentity] {
        var unlocked = unlocked
        var random = StreamRandom()
        for (index, file) in files.enumerated() {
            let request = try UnlockRequest.find(id.description, in: context.ledger)
            let key = file.publicIdentity.signingKey
            guard !request.isApproved(by: key), request.canApprove(key) else { continue }
            if request.isReady { break }
            try QuorumAttempt.recording("unlock approve", request: id, context: context, author: file) {
                try UnlockApproveCommand.check(request, approver: file.publicIdentity, now: EscrowClock.system.now)
            }
            if !json {
                Console.line("")
                Console.line("--- \(file.publicIdentity.name) (\(file.publicIdentity.fingerprint)) ---")
                Console.lines(request.screen())
            }
            // Declining is a custodian's decision, not a refused attempt (as with `unlock approve`).
            try Confirmation.require("\(file.publicIdentity.name), approve request \(id.short)?", assumeYes: yes)
            let known = unlocked[index]
            let approver = try QuorumAttempt.recording(
                "unlock approve",
                request: id,
                context: context,
                author: file
            ) { () throws -> CustodianIdentity in
                let approver = try known ?? unlock(file, index: index)
                let event = try context.ledger.approve(id, by: approver, at: EscrowClock.system.now, random: &random)
                try context.append([event], message: "approval of request \(id.short) (ceremony)", by: approver)
                return approver
            }
            unlocked[index] = approver
            Console.note("Approved by \(file.publicIdentity.name).")
        }
        return unlocked
    }
}
