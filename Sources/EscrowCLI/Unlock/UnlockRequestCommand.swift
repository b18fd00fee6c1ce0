import ArgumentParser
import Escrow
import Sodium

/// `escrow unlock request VAULT [--entry E]... --reason R [--ttl 1h] [--force]`: ask a quorum to open credentials.
struct UnlockRequestCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Ask the custodians to open the current versions of a vault's entries for you.",
        discussion: """
            Makes a fresh key pair for this request: approvers re-seal their shares to its public key, and its \
            secret key stays in your state directory (sealed to your identity) until 'escrow unlock open'. Nobody \
            else, not even the approvers, learns the values.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The vault.", completion: StoreCompletion.vaults)
    var vault: String

    @Option(
        name: .customLong("entry"),
        help: "An entry to open (repeatable; default: every entry).",
        completion: StoreCompletion.entries
    )
    var entries: [String] = []

    @Option(help: "Why: every approver sees it, and the store records it.")
    var reason: String

    @Option(help: "How long approvals are accepted, e.g. 30m, 1h, 7d.")
    var ttl: String = "1h"

    @Flag(help: "Open a closed vault (the reason is recorded).")
    var force = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        do {
            _ = try TimeToLive.seconds(ttl)
            try NameRules.validateReason(reason)
        } catch let error as CLIError {
            throw ValidationError(error.message)
        } catch let error as EscrowError {
            throw ValidationError(error.message)
        }
        guard Set(entries).count == entries.count else { throw ValidationError("an --entry is named twice") }
    }

    func execute() throws {
        let seconds = try TimeToLive.seconds(ttl)
        let context = try UnlockContext.open(store)
        let ledger = context.ledger
        let file = try identity.readFile()
        guard ledger.state.members[file.publicIdentity.signingKey] != nil else {
            throw CLIError("\(file.publicIdentity.name) is not a member of this store: ask the custodians to add you")
        }
        guard let vaultState = ledger.state.vault(named: vault) else {
            let suggestion = NameSuggestion.closest(to: vault, among: Array(ledger.state.vaultNames.keys))
            throw CLIError(
                "there is no vault '\(NameRules.printable(vault))' in this store"
                    + (suggestion.map { " (did you mean '\($0)'?)" } ?? "") + ": 'escrow vault list' shows them"
            )
        }
        if vaultState.status == .closed, !force {
            throw CLIError(
                "vault '\(vault)' is closed: pass --force to request an open anyway (the reason is recorded)"
            )
        }
        let target = try ledger.versionsTarget(vault: vault, entries: entries)
        let requester = try identity.unlock()
        let keys = BoxKeyPair()
        let now = EscrowClock.system.now
        let event = try ledger.request(
            .open,
            targets: [target],
            recipient: RequestRecipient(name: "\(requester.publicIdentity.name) (request key)", key: keys.publicKey),
            reason: reason,
            expiresAt: UTCTime(secondsSinceEpoch: now.secondsSinceEpoch + seconds),
            force: force,
            by: requester,
            at: now
        )
        try RequestKeyFile.save(
            keys,
            request: event.id,
            owner: requester.publicIdentity,
            stateDirectory: context.stateDirectory
        )
        do {
            try context.append([event], message: "open request \(event.id.short) on \(vault)", by: requester)
        } catch {
            try? RequestKeyFile.remove(request: event.id, stateDirectory: context.stateDirectory)
            throw error
        }
        let request = try UnlockRequest.find(event.id.description, in: ledger)
        let next = "escrow unlock approve \(event.id.short) --store \(context.path)"
        if json {
            var object = request.json(at: now)
            object["next"] = .string(next)
            Console.json(.object(object))
            return
        }
        Console.line("Requested \(event.id.short). Approvers will see:")
        Console.lines(request.screen().map { "  " + $0 })
        Console.line("Next, each approver runs (after 'escrow sync' if the store is shared with git):")
        Console.line("  \(next)")
        Console.line("Then you run: escrow unlock open \(event.id.short)")
    }
}
