import ArgumentParser
import Escrow

/// `escrow unlock status ID`: approvals so far against what is needed; exit 0 when ready or executed, 2 otherwise.
struct UnlockStatusCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a request's approvals so far against what it needs.",
        discussion: """
            For an open or a release, each version needs the quorum of its own holders; a re-split, close or \
            reopen needs the vault policy's quorum (and, for a re-split, the custody acknowledgements of the \
            custodians it adds). Exits 0 when the request is ready or executed, 2 when it is not ready or expired.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The request id (a unique prefix of at least 4 hex digits).")
    var id: String

    @Flag(help: "One line per vault or version however many (a bulk request's are counted by state otherwise).")
    var list = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func execute() throws {
        let context = try UnlockContext.open(store)
        let now = EscrowClock.system.now
        let request = try UnlockRequest.find(id, in: context.ledger)
        let expired = request.isLapsed(at: now)
        let executed = request.state.execution != nil
        let summary: String
        if let execution = request.state.execution {
            summary = "executed (event \(execution.short))"
        } else if expired {
            summary = "expired at \(request.state.body.expiresAt) (the requester makes a new request)"
        } else if request.isReady {
            summary =
                "ready: "
                + (request.action == .open
                    ? "the requester runs 'escrow unlock open \(request.id.short)'"
                    : "run 'escrow unlock execute \(request.id.short)'")
        } else {
            summary = "not ready: waiting for approvals until \(request.state.body.expiresAt)"
        }
        if json {
            var object = request.json(at: now)
            object["status"] = .string(
                executed ? "executed" : expired ? "expired" : request.isReady ? "ready" : "waiting"
            )
            Console.json(.object(object))
        } else {
            Console.line(
                "Request \(request.id.short) (\(request.action.rawValue) by \(request.state.requester)): \(summary)"
            )
            for line in UnlockRequest.lines(of: request.progress, listAll: list) { Console.line("  " + line) }
        }
        if executed || (!expired && request.isReady) { return }
        throw ExitStatus.notReady.exitCode
    }
}
