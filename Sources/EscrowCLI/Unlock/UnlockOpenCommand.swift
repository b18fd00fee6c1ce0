import ArgumentParser
import Escrow
import Platform

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
            key. Approvers whose shares failed are named as warnings.
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
        if let execution = request.state.execution {
            throw CLIError(
                "request \(short) was already opened (event \(execution.short)): make a new request with "
                    + "'escrow unlock request'"
            )
        }
        let file = try identity.readFile()
        guard file.publicIdentity.signingKey == request.state.requesterKey else {
            throw CLIError("request \(short) is \(request.state.requester)'s: only its requester opens it")
        }
        guard request.isReady else {
            let waiting = request.progress.filter { !$0.isReady }.map { "\($0.subject): \($0.wording)" }
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
        let (versions, event) = try context.ledger.open(request.id, requestKeys: keys, by: requester, at: now)
        try context.append([event], message: "open of request \(short)")
        try RequestKeyFile.remove(request: request.id, stateDirectory: context.stateDirectory)
        for version in versions {
            for refusal in version.refusedApprovals { Console.warning(refusal) }
            for suspect in version.suspects {
                let names = suspect.compactMap { x in
                    context.ledger.state.vault(named: version.vault)?.policy.custodian(atX: x)?.name ?? "x=\(x)"
                }
                Console.warning(
                    "\(version.entry): a re-split contribution failed; suspects: \(names.joined(separator: ", "))"
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
            Console.note("Opened request \(short) (recorded as event \(event.id.short)); the request key is deleted.")
            try printer.text(versions)
        }
    }
}
