import ArgumentParser
import Escrow
import Platform

/// `escrow unlock execute ID [--bundle FILE]`: carry out an approved release, re-split, close or reopen.
struct UnlockExecuteCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "execute",
        abstract: "Carry out an approved release, re-split, close or reopen.",
        discussion: """
            Any custodian may execute once the quorum is met; nothing secret is seen by the executor. A release \
            writes the customer's bundle to --bundle FILE (a new file): every share in it is sealed to the \
            customer's key. An open is not executed here: its requester runs 'escrow unlock open'.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The request id (a unique prefix of at least 4 hex digits).")
    var id: String

    @Option(help: ArgumentHelp("Where to write the customer's bundle (release only; a new file).", valueName: "file"))
    var bundle: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func execute() throws {
        let context = try UnlockContext.open(store)
        let now = EscrowClock.system.now
        let request = try UnlockRequest.find(id, in: context.ledger)
        let short = request.id.short
        if let execution = request.state.execution, request.action != .release || bundle != nil,
            try context.isUncommitted(execution)
        {
            // A run killed after writing the execution and before committing it: this retry finishes that run (a
            // release's bundle is written first; the one the killed run left must be byte for byte the bundle).
            let written = try bundle.map { try Self.finishBundle(of: request, at: $0, context: context) }
            try context.commitInterrupted(message: "execution of \(request.action.rawValue) request \(short)")
            report(request, execution: execution, bundle: written, now: now, context: context)
            return
        }
        let (event, written) = try QuorumAttempt.recording(
            "unlock execute",
            request: request.id,
            context: context,
            identity: identity
        ) { () throws -> (Event, String?) in
            try Self.check(request, bundle: bundle, now: now)
            let executor = try identity.unlock()
            let event = try context.ledger.execute(request.id, by: executor, at: now)
            var written: String?
            if request.action == .release, let bundle {
                let bytes = try context.ledger.releaseBundle(for: request.id).encoded()
                let file = try AtomicFile(path: bundle, overwrite: false, mode: 0o600)
                do {
                    try file.write(bytes)
                    try file.commit()
                } catch {
                    file.discard()
                    throw error
                }
                written = bundle
            }
            do {
                try context.append(
                    [event],
                    message: "execution of \(request.action.rawValue) request \(short)",
                    by: executor
                )
            } catch {
                if let written { try? FileSystem.remove(written) }
                throw error
            }
            return (event, written)
        }
        report(request, execution: event.id, bundle: written, now: now, context: context)
    }

    /// Prints what the execution did (text or JSON).
    private func report(
        _ request: UnlockRequest,
        execution: EventID,
        bundle written: String?,
        now: UTCTime,
        context: StoreContext
    ) {
        let changes = request.consequences(done: true)
        if json {
            var object = UnlockRequest(
                state: context.ledger.state.requests[request.id] ?? request.state,
                event: request.event,
                store: context.ledger.state
            ).json(at: now)
            object["execution"] = .string(execution.description)
            object["bundle"] = written.map(JSONValue.string) ?? .null
            Console.json(.object(object))
            return
        }
        Console.line("Executed \(request.action.rawValue) request \(request.id.short) (event \(execution.short)).")
        for change in changes { Console.line("  \(change)") }
        if let written {
            Console.line("Customer bundle written to \(written): only the customer's identity opens it.")
        }
    }

    /// The bundle of an executed release at `path` when a retry finishes an interrupted execution: written if
    /// missing, accepted if the file there is exactly the bundle, refused otherwise.
    ///
    /// - Returns: `path`.
    /// - Throws: ``CLIError`` if another file is there, or an I/O error.
    private static func finishBundle(of request: UnlockRequest, at path: String, context: StoreContext) throws -> String
    {
        let bytes = try context.ledger.releaseBundle(for: request.id).encoded()
        if FileSystem.exists(path) {
            guard try FileSystem.read(path, limit: bytes.count + 1) == bytes else {
                throw CLIError("\(path) already exists: choose a new file for the customer's bundle")
            }
            return path
        }
        let file = try AtomicFile(path: path, overwrite: false, mode: 0o600)
        do {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
        return path
    }

    /// The refusals that need no passphrase.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - bundle: `--bundle`.
    ///   - now: The current time.
    /// - Throws: ``CLIError`` naming the reason and the next step.
    static func check(_ request: UnlockRequest, bundle: String?, now: UTCTime) throws {
        let short = request.id.short
        switch request.action {
        case .open:
            throw CLIError("request \(short) is an open: its requester runs 'escrow unlock open \(short)'")
        case .release:
            guard let bundle else {
                throw CLIError("request \(short) is a release: pass --bundle FILE for the customer's bundle")
            }
            if FileSystem.exists(bundle) {
                throw CLIError("\(bundle) already exists: choose a new file for the customer's bundle")
            }
        case .resplit, .close, .reopen:
            if bundle != nil {
                throw CLIError("--bundle is for a release; request \(short) is a \(request.action.rawValue)")
            }
        }
        try request.checkNotDone(at: now)
        guard request.isReady else {
            let waiting = UnlockRequest.lines(of: request.progress.filter { !$0.isReady })
            throw CLIError(
                "request \(short) is not ready (" + waiting.joined(separator: "; ")
                    + "): 'escrow unlock status \(short)' shows progress",
                status: .notReady
            )
        }
    }
}
