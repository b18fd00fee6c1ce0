import ArgumentParser
import Escrow

/// `escrow sync`: pull, verify, merge, push.
struct SyncCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange events with the store's git remote: every incoming event is verified before merging.",
        discussion: """
            Fetches the remote, refuses anything but new event files (a changed, deleted or renamed file, a \
            symbolic link), checks each incoming event's id, signature, store and parents, merges (events never \
            conflict), and pushes your events. Events without authority are merged but ignored by every command and \
            reported here and by 'escrow audit verify'. Approvers sync before approving.
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func execute() throws {
        let context = try store.open(freshness: false)
        guard let git = context.git else {
            throw CLIError("\(context.path) is not a git work tree: clone your team's store to sync it")
        }
        let report = try context.ledger.sync(git)
        try context.checkFreshness()
        try context.saveTrust()
        try SyncRecord.save(
            EscrowClock.system.now,
            stateDirectory: context.stateDirectory,
            store: context.ledger.state.storeID
        )
        if json {
            Console.json(
                .object([
                    "received": .int(Int64(report.received)), "pushed": .bool(report.pushed),
                    "heads": .array(context.ledger.graph.heads.map { .string($0.description) }),
                    "findings": .array(report.findings.map { .string($0.description) }),
                ])
            )
            return
        }
        Console.line(
            "Synced \(context.path): \(Console.counted(report.received, "new event")), heads "
                + context.ledger.graph.heads.map(\.short).joined(separator: ", ") + "."
        )
        for finding in report.findings { Console.warning(finding.description) }
    }
}
