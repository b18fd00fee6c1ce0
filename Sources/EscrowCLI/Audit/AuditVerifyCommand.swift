import ArgumentParser
import Escrow

/// `escrow audit verify [--anchor ID]...`: opens and verifies the whole store and reports what an auditor checks.
struct AuditVerifyCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the whole store (ids, signatures, parents, authority) and print a report.",
        discussion: """
            Exits 0 only when no event lacks authority, no member equivocated, and every --anchor is present. \
            Keep the heads it prints outside the store (a ticket, an e-mail) and pass them later as --anchor: a \
            store that lost them was rolled back. On a fresh clone, pin the store first with 'escrow store trust'.
            """
    )

    @Option(
        name: .customLong("anchor"),
        help: ArgumentHelp("An event id kept outside the store that must be present (repeatable).", valueName: "id")
    )
    var anchors: [String] = []

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Checks the arguments before anything is read or asked.
    func validate() throws {
        for anchor in anchors where (try? EventID(hex: anchor.lowercased())) == nil {
            throw ValidationError("--anchor '\(anchor)' is not an event id (64 hex digits)")
        }
    }

    /// A finding as JSON.
    ///
    /// - Parameter finding: The finding.
    /// - Returns: `{"event", "type", "author", "message", "violation"}`.
    static func json(_ finding: Finding) -> JSONValue {
        .object([
            "event": .string(finding.event.description), "type": .string(finding.type),
            "author": .string(finding.author), "message": .string(finding.message),
            "violation": .bool(finding.isViolation),
        ])
    }

    /// Runs the command (see the type's documentation).
    func execute() throws {
        let path = try store.location()
        let context: StoreContext
        do {
            // Every event file read and verified: never from the fold snapshot.
            context = try StoreContext.open(at: path, warm: false)
        } catch let error as CLIError where error.message.hasPrefix("first contact") {
            throw CLIError(
                "audit verify checks a store against your pin: " + error.message
                    + " (every event is verified then; no secret is needed)"
            )
        }
        let ledger = context.ledger
        let state = ledger.state
        let heads = ledger.graph.heads
        var missing: [String] = []
        for anchor in anchors {
            let id = try EventID(hex: anchor.lowercased())
            if !ledger.graph.contains(id) { missing.append(id.description) }
        }
        let violations = state.violations
        let notes = state.findings.filter { !$0.isViolation }
        try context.saveTrust()
        if json {
            Console.json(
                .object([
                    "store": .string(state.storeName), "genesis": .string(state.genesis.description),
                    "fingerprint": .string(state.genesis.fingerprint), "events": .int(Int64(state.eventCount)),
                    "members": .int(Int64(state.members.count)), "vaults": .int(Int64(state.vaults.count)),
                    "heads": .array(heads.map { .string($0.description) }),
                    "findings": .array(state.findings.map(Self.json)),
                    "anchors": .array(anchors.map { .string($0.lowercased()) }),
                    "missing_anchors": .array(missing.map(JSONValue.string)),
                    "ok": .bool(violations.isEmpty && missing.isEmpty),
                ])
            )
        } else {
            Console.lines([
                "store:     \(state.storeName) (genesis \(state.genesis.fingerprint))",
                "events:    \(state.eventCount), every id, signature and parent verified",
                "members:   \(state.members.count) (\(state.custodians.count) custodians)",
                "vaults:    \(state.vaults.count)",
                "heads to anchor:",
            ])
            for head in heads { Console.line("  \(head)") }
            for anchor in anchors {
                let present = !missing.contains(anchor.lowercased())
                Console.line("anchor \(anchor.lowercased()): \(present ? "present" : "MISSING")")
            }
            Console.line("findings:  \(violations.count) violation(s), \(notes.count) note(s)")
            for finding in state.findings { Console.line("  \(finding)") }
        }
        if !missing.isEmpty {
            throw CLIError(
                "the store lacks anchor(s) \(missing.joined(separator: ", ")): it was rolled back or is another copy"
            )
        }
        if !violations.isEmpty {
            throw CLIError(
                "\(violations.count) event(s) without authority or equivocating (first: \(violations[0]))"
            )
        }
    }
}
