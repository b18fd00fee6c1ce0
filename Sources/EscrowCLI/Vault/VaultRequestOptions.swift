import ArgumentParser
import Escrow

/// `--reason R [--ttl 24h] [--json]`: what every vault request (close, reopen, release, re-split) takes, and the
/// one way they make, append and announce the request.
struct VaultRequestOptions: ParsableArguments {
    @Option(help: "Why (recorded in the store and shown to every approver).")
    var reason: String?

    @Option(help: "How long approvers have: a number and s, m, h or d (1m...7d).")
    var ttl: String = "24h"

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Checks the reason and the lifetime before anything is asked.
    ///
    /// - Returns: The reason and the lifetime in seconds.
    func checked() throws -> (reason: String, seconds: Int64) {
        guard let reason, !reason.isEmpty else {
            throw CLIError("--reason is required: approvers and the audit log need to know why")
        }
        try NameRules.validateReason(reason)
        return (reason, try TimeToLive.seconds(ttl))
    }

    /// Unlocks the requester, makes the request, appends it, and prints its id and the next steps.
    ///
    /// - Parameters:
    ///   - action: The action.
    ///   - targets: The vault targets.
    ///   - recipient: The release's customer, if any.
    ///   - context: The open store.
    ///   - identity: The requester's identity options.
    ///   - steps: Extra next steps before the approvals (e.g. custody acknowledgements).
    ///   - executeHint: Extra arguments of the execute step (e.g. `--bundle FILE`).
    /// - Throws: ``CLIError`` for a bad reason or lifetime, ``EscrowError`` when the store refuses the request.
    func make(
        _ action: RequestAction,
        targets: [RequestTarget],
        recipient: RequestRecipient?,
        context: StoreContext,
        identity: IdentityOptions,
        steps: [String] = [],
        executeHint: String = ""
    ) throws {
        let (reason, seconds) = try checked()
        let requester = try identity.unlock()
        let now = EscrowClock.system.now
        let expires = UTCTime(secondsSinceEpoch: now.secondsSinceEpoch + seconds)
        let event = try context.ledger.request(
            action,
            targets: targets,
            recipient: recipient,
            reason: reason,
            expiresAt: expires,
            by: requester,
            at: now
        )
        let names = targets.map(\.vault.name)
        try context.append(
            [event],
            message: "\(action.rawValue) request \(event.id.short) for \(names.joined(separator: ", ")) by "
                + requester.publicIdentity.name
        )
        let id = event.id.short
        let quorum = targets.compactMap { context.ledger.state.vault($0.vault)?.policy.threshold }.max() ?? 2
        let next =
            steps.map { $0.replacing("{id}", with: id) } + [
                "approvers (\(quorum) custodians of \(targets.count == 1 ? "the vault" : "each vault")) run: "
                    + "escrow unlock approve \(id)",
                "then one of them runs: escrow unlock execute \(id)\(executeHint)",
            ]
        if json {
            Console.json(
                .object([
                    "request": .string(event.id.description), "action": .string(action.rawValue),
                    "vaults": .array(names.map(JSONValue.string)), "expires_at": .string(expires.description),
                    "next": .array(next.map(JSONValue.string)),
                ])
            )
            return
        }
        Console.line(
            "Request \(id) (\(action.rawValue) of \(names.joined(separator: ", "))) created; it expires at \(expires)."
        )
        Console.line("Next:")
        for (index, step) in next.enumerated() { Console.line("  \(index + 1). \(step)") }
    }
}
