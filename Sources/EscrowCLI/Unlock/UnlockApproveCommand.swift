import ArgumentParser
import Escrow
import Sodium

/// `escrow unlock approve ID [--yes] [--offline] [--list]`: approve a request after reading what it does.
struct UnlockApproveCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a request after reading exactly what it does.",
        discussion: """
            Shows the action, the vaults, exactly what the requester (or the customer) will learn, the reason, the \
            requester's fingerprint, the expiry and a fingerprint of the heads the request was made on (compare it \
            with the requester by another channel). Refuses before asking for your passphrase when the request is \
            unknown to your copy, expired, executed or already approved by you, when you hold nothing it asks for, \
            or when your git-shared store was not synced in the last 15 minutes (--offline skips that check).
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The request id (a unique prefix of at least 4 hex digits).")
    var id: String

    @Flag(help: "Approve without the question (for scripts).")
    var yes = false

    @Flag(help: "Approve although the store was not synced in the last 15 minutes (said on screen).")
    var offline = false

    @Flag(help: "List every vault of a bulk re-split.")
    var list = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func execute() throws {
        let context = try UnlockContext.open(store)
        let now = EscrowClock.system.now
        let request = try UnlockRequest.find(id, in: context.ledger)
        let file = try identity.readFile()
        try QuorumAttempt.recording("unlock approve", request: request.id, context: context, identity: identity) {
            try UnlockApproveCommand.check(request, approver: file.publicIdentity, now: now)
        }
        try UnlockContext.checkFreshSync(context, offline: offline, now: now)  // this copy's age: not an attempt
        try Confirmation.requirePossible(assumeYes: yes)
        if !json {
            Console.lines(request.screen(listAll: list))
        }
        try Confirmation.require("Approve request \(request.id.short)?", assumeYes: yes)
        let (approver, event) = try QuorumAttempt.recording(
            "unlock approve",
            request: request.id,
            context: context,
            identity: identity
        ) {
            let approver = try identity.unlock()
            guard approver.publicIdentity.signingKey == file.publicIdentity.signingKey else {
                throw CLIError("the identity file changed while approving: nothing was written")
            }
            var random = StreamRandom()
            let event = try context.ledger.approve(request.id, by: approver, at: now, random: &random)
            try context.append([event], message: "approval of request \(request.id.short)", by: approver)
            return (approver, event)
        }
        let updated = try UnlockRequest.find(request.id.description, in: context.ledger)
        if json {
            var object = updated.json(at: now)
            object["approval"] = .string(event.id.description)
            Console.json(.object(object))
            return
        }
        Console.line(
            "Approved request \(request.id.short) as \(approver.publicIdentity.name) (event \(event.id.short))."
        )
        for line in UnlockRequest.lines(of: updated.progress, listAll: list) { Console.line("  " + line) }
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
