import ArgumentParser

/// `escrow audit …`: read and verify the event log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show and verify the store's signed event log.",
        subcommands: [AuditShowCommand.self, AuditVerifyCommand.self]
    )
}
