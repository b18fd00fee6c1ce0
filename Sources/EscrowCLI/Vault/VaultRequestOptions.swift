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

    /// Refuses an unreadable reason and a bad lifetime while parsing (usage errors, before the store is opened or
    /// anything is asked). Whether a reason is required is the command's call (``requireReason()``).
    func validate() throws {
        do {
            try NameRules.validateReason(reason)
            _ = try TimeToLive.seconds(ttl)
        } catch let error as EscrowError {
            throw ValidationError(error.message)
        } catch let error as CLIError {
            throw ValidationError(error.message)
        }
    }

    /// Refuses a missing reason (a usage error): called from the `validate()` of every command that makes a request.
    func requireReason() throws {
        guard let reason, !reason.isEmpty else {
            throw ValidationError("--reason is required: approvers and the audit log need to know why")
        }
    }

    /// The reason and the lifetime, as ``validate()`` and ``requireReason()`` checked them.
    ///
    /// - Returns: The reason and the lifetime in seconds.
    func checked() throws -> (reason: String, seconds: Int64) {
        guard let reason, !reason.isEmpty else {
            throw CLIError("--reason is required: approvers and the audit log need to know why")
        }
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
        try make(
            action,
            batches: [targets],
            recipient: recipient,
            context: context,
            identity: identity,
            steps: steps,
            executeHint: executeHint
        )
    }

    /// Unlocks the requester once and makes one request per batch of targets, each appended before the next is
    /// made (each names the previous as its author's last event); prints every id and the next steps.
    ///
    /// Every batch is checked by the store before anything is appended of it; a failure after some requests were
    /// appended names those (they stand, complete, and can be approved or left to expire).
    ///
    /// - Parameters:
    ///   - action: The action.
    ///   - batches: The targets of each request (at least one, none empty).
    ///   - recipient: The release's customer, if any.
    ///   - context: The open store.
    ///   - identity: The requester's identity options.
    ///   - steps: Extra next steps before the approvals (`{id}` stands for each request's id).
    ///   - executeHint: Extra arguments of the execute step (e.g. `--bundle FILE`).
    /// - Throws: ``CLIError`` for a bad reason or lifetime, ``EscrowError`` when the store refuses a request.
    func make(
        _ action: RequestAction,
        batches: [[RequestTarget]],
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
        var made: [(id: EventID, names: [String], next: [String])] = []
        for (index, targets) in batches.enumerated() {
            let names = targets.map(\.vault.name)
            let label = batches.count == 1 ? "" : " (\(index + 1) of \(batches.count))"
            do {
                let event = try context.ledger.request(
                    action,
                    targets: targets,
                    recipient: recipient,
                    reason: reason,
                    expiresAt: expires,
                    by: requester,
                    at: now
                )
                try context.append(
                    [event],
                    message: "\(action.rawValue) request \(event.id.short)\(label) for \(Console.vaultNames(names)) by "
                        + requester.publicIdentity.name,
                    by: requester
                )
                let id = event.id.short
                let quorum = targets.compactMap { context.ledger.state.vault($0.vault)?.policy.threshold }.max() ?? 2
                let next =
                    steps.map { $0.replacing("{id}", with: id) } + [
                        "approvers (\(quorum) custodians of \(targets.count == 1 ? "the vault" : "each vault")) run: "
                            + "escrow unlock approve \(id)",
                        "then one of them runs: escrow unlock execute \(id)\(executeHint)",
                    ]
                made.append((event.id, names, next))
            } catch {
                guard !made.isEmpty else { throw error }
                let message = (error as? EscrowError)?.message ?? (error as? CLIError)?.message ?? "\(error)"
                throw CLIError(
                    "request \(index + 1) of \(batches.count) was not made: \(message); the requests made before it "
                        + "stand: \(made.map(\.id.short).joined(separator: ", "))"
                )
            }
        }
        if json {
            let objects = made.map { request in
                JSONValue.object([
                    "request": .string(request.id.description), "action": .string(action.rawValue),
                    "vaults": .array(request.names.map(JSONValue.string)), "expires_at": .string(expires.description),
                    "next": .array(request.next.map(JSONValue.string)),
                ])
            }
            // One request keeps the shape every request command prints; several are listed.
            Console.json(objects.count == 1 ? objects[0] : .object(["requests": .array(objects)]))
            return
        }
        if made.count > 1 {
            Console.line(
                "The \(action.rawValue) is cut into \(made.count) requests (each approval stays bounded in size): "
                    + "approve and execute each (approvers may name them all at once: escrow unlock approve "
                    + made.map(\.id.short).joined(separator: " ") + ")."
            )
        }
        for request in made {
            Console.line(
                "Request \(request.id.short) (\(action.rawValue) of \(Console.vaultNames(request.names))) created; it "
                    + "expires at \(expires)."
            )
            Console.line("Next:")
            for (index, step) in request.next.enumerated() { Console.line("  \(index + 1). \(step)") }
        }
    }
}
