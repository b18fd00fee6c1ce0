import ArgumentParser
import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `escrow unlock open ID [--show-seed]`: the requester rebuilds the approved values with the request key.
struct UnlockOpenCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open your approved request: rebuild and print the values, and record the open.",
        discussion: """
            Uses the request key kept in your state directory (sealed to your identity), checks every share against \
            the digest its author signed, records the open in the store, prints the values and deletes the request \
            key. Approvers whose shares failed are named as warnings. If a run is stopped after recording the open \
            but before deleting the key, running the command again prints the values without a second record.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The request id (a unique prefix of at least 4 hex digits).")
    var id: String

    @Flag(name: .customLong("show-seed"), help: "Also print the seed of a TOTP entry (base32).")
    var showSeed = false

    @Flag(help: "Print the values as JSON.")
    var json = false

    func execute() throws {
        let context = try UnlockContext.open(store)
        let now = EscrowClock.system.now
        let request = try UnlockRequest.find(id, in: context.ledger)
        let short = request.id.short
        guard request.action == .open else {
            throw CLIError("request \(short) is a \(request.action.rawValue): run 'escrow unlock execute \(short)'")
        }
        let (versions, event) = try QuorumAttempt.recording(
            "unlock open",
            request: request.id,
            context: context,
            identity: identity
        ) { () throws -> ([OpenedVersion], Event) in
            let file = try identity.readFile()
            let isRequester = file.publicIdentity.signingKey == request.state.requesterKey
            if let execution = request.state.execution {
                // The requester's own earlier run recorded the open but was stopped before the values were printed
                // (the request key is erased only after they are): finish it, without a second execution.
                if isRequester, RequestKeyFile.exists(request: request.id, stateDirectory: context.stateDirectory),
                    let recorded = context.ledger.graph.event(execution),
                    recorded.author.key == request.state.requesterKey
                {
                    let requester = try identity.unlock()
                    let keys = try RequestKeyFile.load(
                        request: request.id,
                        identity: requester,
                        stateDirectory: context.stateDirectory
                    )
                    let versions = try context.ledger.reopenRecorded(request.id, requestKeys: keys, by: requester)
                    try context.commitInterrupted(message: "open of request \(short)")
                    Console.note("An earlier run recorded this open (event \(execution.short)) and was interrupted.")
                    return (versions, recorded)
                }
                throw CLIError(
                    "request \(short) was already opened (event \(execution.short)): make a new request with "
                        + "'escrow unlock request'"
                )
            }
            guard isRequester else {
                throw CLIError("request \(short) is \(request.state.requester)'s: only its requester opens it")
            }
            guard request.isReady else {
                let waiting = UnlockRequest.lines(of: request.progress.filter { !$0.isReady })
                throw CLIError(
                    "request \(short) is not approved yet (" + waiting.joined(separator: "; ")
                        + "): 'escrow unlock status \(short)' shows progress",
                    status: .notReady
                )
            }
            guard RequestKeyFile.exists(request: request.id, stateDirectory: context.stateDirectory) else {
                throw RequestKeyFile.missing(request: request.id, stateDirectory: context.stateDirectory)
            }
            let requester = try identity.unlock()
            let keys = try RequestKeyFile.load(
                request: request.id,
                identity: requester,
                stateDirectory: context.stateDirectory
            )
            let (versions, event) = try Self.open(
                context.ledger,
                request: request.id,
                keys: keys,
                by: requester,
                at: now
            )
            try context.append([event], message: "open of request \(short)", by: requester)
            return (versions, event)
        }
        for version in versions {
            for refusal in version.refusedApprovals { Console.warning(refusal) }
            for (level, suspects) in version.suspects.enumerated() where !suspects.isEmpty {
                Console.warning(
                    "\(version.entry): a contributor of a re-split sent values that do not rebuild the key: "
                        + Self.contributorNames(suspects, level: level, of: version, in: context.ledger.state)
                        + " (the other contributors' values were used)"
                )
            }
        }
        let printer = EntryPrinter(
            fd: STDOUT_FILENO,
            name: "standard output",
            showSeed: showSeed,
            now: now.secondsSinceEpoch
        )
        if json {
            try printer.json(
                versions,
                members: ["request": .string(request.id.description), "execution": .string(event.id.description)]
            )
        } else {
            Console.note("Opened request \(short) (recorded as event \(event.id.short)).")
            try printer.text(versions)
        }
        // Only now: a run stopped before this point is finished by running the command again.
        do {
            try RequestKeyFile.remove(request: request.id, stateDirectory: context.stateDirectory)
        } catch {
            throw CLIError(
                "the values were printed, but the request key could not be deleted: \(error); delete "
                    + RequestKeyFile.path(request: request.id, stateDirectory: context.stateDirectory)
            )
        }
    }

    /// `Ledger.open`, with a failing share reported with the next step.
    ///
    /// - Parameters:
    ///   - ledger: The store.
    ///   - request: The request.
    ///   - keys: The request key pair.
    ///   - requester: The requester.
    ///   - now: The time.
    /// - Returns: The opened versions and the execution event.
    /// - Throws: ``CLIError`` for a bad share, else what `Ledger.open` throws.
    private static func open(
        _ ledger: Ledger,
        request: EventID,
        keys: BoxKeyPair,
        by requester: CustodianIdentity,
        at now: UTCTime
    ) throws -> (versions: [OpenedVersion], event: Event) {
        let result: Result<(versions: [OpenedVersion], event: Event), EscrowError>
        do {
            result = .success(try ledger.open(request, requestKeys: keys, by: requester, at: now))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let opened):
            return opened
        case .failure(let error) where error.code == .badShare:
            throw CLIError(
                "\(error.message): that approval is left out; ask another custodian to approve "
                    + "('escrow unlock approve \(request.short)'), then run 'escrow unlock open \(request.short)' "
                    + "again (nothing was written)"
            )
        case .failure(let error):
            throw error
        }
    }

    /// The names of contributors (x-coordinates in the sharing before the re-split of `level`).
    static func contributorNames(_ xs: [UInt8], level: Int, of version: OpenedVersion, in state: LedgerState) -> String
    {
        let vault = state.vault(named: version.vault)
        let levels = vault?.version(version.version)?.levels ?? []
        let request = level < levels.count ? state.requests[levels[level].resplit] : nil
        let generation = request?.body.targets.first { $0.vault.name == version.vault }?.generation
        let policy = generation.flatMap { vault?.policies[$0] }
        return xs.map { x in policy?.custodian(atX: x)?.name ?? "x=\(x)" }.joined(separator: ", ")
    }
}
