import ArgumentParser
import Escrow
import Sodium

/// `escrow unlock approve ID... [--yes] [--offline] [--list]`: approve a request (or the several requests of a re-split
/// cut into several) after reading what each does.
struct UnlockApproveCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a request after reading exactly what it does.",
        discussion: """
            Shows the action, the vaults, exactly what the requester (or the customer) will learn, the reason, the \
            requester's fingerprint, the expiry and a fingerprint of the heads the request was made on (compare it \
            with the requester by another channel). Refuses before asking for your passphrase when the request is \
            unknown to your copy, expired, executed or already approved by you, when you hold nothing it asks for, \
            or when your git-shared store was not synced in the last 15 minutes (--offline skips that check). \
            Several ids (a re-split cut into several requests): each is checked, shown and asked about before the \
            passphrase, then they are approved in turn.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(
        help: ArgumentHelp(
            "The request id (a unique prefix of at least 4 hex digits); several for a re-split cut into several "
                + "requests.",
            valueName: "id"
        )
    )
    var ids: [String]

    @Flag(help: "Approve without the question (for scripts).")
    var yes = false

    @Flag(help: "Approve although the store was not synced in the last 15 minutes (said on screen).")
    var offline = false

    @Flag(help: "List every vault of a bulk re-split.")
    var list = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Refuses a missing id before anything runs (usage status 64).
    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give the id of the request to approve") }
    }

    /// Checks every request, shows each and asks about each, then unlocks the identity once and approves them in
    /// order (each approval appended before the next is made). Nothing is written unless every check passed and
    /// every question was answered yes; a failure after some approvals names those, which stand.
    func execute() throws {
        let context = try UnlockContext.open(store)
        let now = EscrowClock.system.now
        let file = try identity.readFile()
        var requests: [UnlockRequest] = []
        for id in ids {
            let request = try UnlockRequest.find(id, in: context.ledger)
            guard !requests.contains(where: { $0.id == request.id }) else {
                throw CLIError("request \(request.id.short) is named twice: nothing was approved")
            }
            try QuorumAttempt.recording("unlock approve", request: request.id, context: context, identity: identity) {
                try UnlockApproveCommand.check(request, approver: file.publicIdentity, now: now)
            }
            requests.append(request)
        }
        try UnlockContext.checkFreshSync(context, offline: offline, now: now)  // this copy's age: not an attempt
        try Confirmation.requirePossible(assumeYes: yes)
        for request in requests {
            if !json {
                Console.lines(request.screen(listAll: list))
            }
            try Confirmation.require("Approve request \(request.id.short)?", assumeYes: yes)
        }
        var approver: CustodianIdentity?
        var approved: [(request: UnlockRequest, event: Event)] = []
        for request in requests {
            do {
                let event = try QuorumAttempt.recording(
                    "unlock approve",
                    request: request.id,
                    context: context,
                    identity: identity
                ) { () throws -> Event in
                    let unlocked: CustodianIdentity
                    if let approver {
                        unlocked = approver
                    } else {
                        unlocked = try identity.unlock()
                        guard unlocked.publicIdentity.signingKey == file.publicIdentity.signingKey else {
                            throw CLIError("the identity file changed while approving: nothing was written")
                        }
                        approver = unlocked
                    }
                    var random = StreamRandom()
                    let event = try context.ledger.approve(request.id, by: unlocked, at: now, random: &random)
                    try context.append([event], message: "approval of request \(request.id.short)", by: unlocked)
                    return event
                }
                approved.append((request, event))
            } catch {
                guard !approved.isEmpty else { throw error }
                let message = (error as? CLIError)?.message ?? (error as? EscrowError)?.message ?? "\(error)"
                throw CLIError(
                    "request \(request.id.short) was not approved: \(message); the approvals made before it stand: "
                        + approved.map(\.request.id.short).joined(separator: ", ")
                )
            }
        }
        var objects: [JSONValue] = []
        for (request, event) in approved {
            let updated = try UnlockRequest.find(request.id.description, in: context.ledger)
            if json {
                var object = updated.json(at: now)
                object["approval"] = .string(event.id.description)
                objects.append(.object(object))
                continue
            }
            Console.line(
                "Approved request \(request.id.short) as \(file.publicIdentity.name) (event \(event.id.short))."
            )
            for line in UnlockRequest.lines(of: updated.progress, listAll: list) { Console.line("  " + line) }
        }
        // One request keeps the shape every request command prints; several are listed.
        if json { Console.json(objects.count == 1 ? objects[0] : .object(["approvals": .array(objects)])) }
    }

    /// How far in the future of the approver's clock a request may be dated (clock skew between machines), in
    /// seconds. A request's time is self-declared: the fold has no clock to compare it with, so this check is the
    /// approver's (see TrustModel.md, "Time").
    static let maximumClockSkew: Int64 = 300

    /// The refusals that need no passphrase: executed, dated in the future, expired, already approved, nothing held.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approver: The approver's public identity.
    ///   - now: The current time.
    /// - Throws: ``CLIError`` naming the reason and the next step.
    static func check(_ request: UnlockRequest, approver: PublicIdentity, now: UTCTime) throws {
        let short = request.id.short
        if request.state.execution != nil {
            throw CLIError("request \(short) was already executed: there is nothing left to approve")
        }
        let made = request.event.time
        if made.secondsSinceEpoch > now.secondsSinceEpoch + maximumClockSkew {
            throw CLIError(
                "request \(short) is dated \(made), more than 5 minutes after this machine's clock (\(now)): "
                    + "the requester's clock is wrong or the request is forged; do not approve it, ask the requester"
            )
        }
        if request.isExpired(at: now) {
            throw CLIError(
                "request \(short) expired at \(request.state.body.expiresAt): the requester makes a new request"
            )
        }
        if request.isApproved(by: approver.signingKey) {
            throw CLIError(
                "\(approver.name) already approved request \(short): 'escrow unlock status \(short)' shows progress"
            )
        }
        if !request.canApprove(approver.signingKey) {
            throw CLIError(
                "\(approver.name) holds no share of what request \(short) asks for and is not a custodian of its "
                    + "vaults: only its custodians approve it"
            )
        }
    }
}
