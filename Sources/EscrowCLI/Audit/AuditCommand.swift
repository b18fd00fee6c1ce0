import ArgumentParser

/// `escrow audit …`: the tamper-evident log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show and verify the store's tamper-evident audit log.",
        subcommands: [AuditShowCommand.self, AuditVerifyCommand.self]
    )
}
