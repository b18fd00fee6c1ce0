import ArgumentParser
import Escrow

/// `escrow unlock pending`: what waits for you (approvals, custody acknowledgements of a re-split).
struct UnlockPendingCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "List the requests you can still approve, and re-splits waiting for your custody acknowledgement.",
        discussion: """
            Lists requests that are not executed, not expired and not yet approved by you, for which you hold a \
            share of a requested version or are a custodian of the vault. Run 'escrow sync' first when the store \
            is shared with git: this lists your copy.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func execute() throws {
        let context = try UnlockContext.open(store)
        let now = EscrowClock.system.now
        let me = try identity.readFile().publicIdentity
        let key = me.signingKey
        var approvals: [UnlockRequest] = []
        var acknowledgements: [UnlockRequest] = []
        for id in context.ledger.state.requests.keys.sorted() {
            let request = try UnlockRequest.find(id.description, in: context.ledger)
            guard request.state.execution == nil, !request.isExpired(at: now) else { continue }
            if !request.isApproved(by: key), request.canApprove(key) { approvals.append(request) }
            if request.action == .resplit, !request.state.acknowledged.contains(key),
                request.vaults.contains(where: { target, vault in
                    target.policy?.custodian(withKey: key) != nil && vault?.policy.custodian(withKey: key) == nil
                })
            {
                acknowledgements.append(request)
            }
        }
        if json {
            Console.json(
                .object([
                    "custodian": .string(me.name),
                    "approve": .array(approvals.map { .object($0.json(at: now)) }),
                    "acknowledge": .array(acknowledgements.map { .object($0.json(at: now)) }),
                ])
            )
            return
        }
        if approvals.isEmpty, acknowledgements.isEmpty {
            Console.line("Nothing waits for \(me.name) in this copy of the store (run 'escrow sync' to be sure).")
            return
        }
        if !approvals.isEmpty {
            Console.line("Waiting for \(me.name)'s approval (\(approvals.count)):")
            Console.table(
                ["ID", "ACTION", "VAULTS", "REQUESTER", "EXPIRES", "REASON"],
                approvals.map {
                    [
                        $0.id.short, $0.action.rawValue, Console.vaultNames($0.state.body.targets.map(\.vault.name)),
                        $0.state.requester, $0.state.body.expiresAt.description, $0.state.body.reason,
                    ]
                }
            )
            Console.line("Read and approve one with: escrow unlock approve ID")
        }
        if !acknowledgements.isEmpty {
            Console.line("Re-splits waiting for \(me.name)'s custody acknowledgement (\(acknowledgements.count)):")
            for request in acknowledgements {
                Console.line("  \(request.id.short)  " + request.consequences().joined(separator: "; "))
            }
            Console.line("Acknowledge custody with: escrow vault ack ID")
        }
    }
}
