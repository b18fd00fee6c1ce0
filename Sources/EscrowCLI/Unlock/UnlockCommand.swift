import ArgumentParser

/// `escrow unlock …`: quorum requests and approvals.
struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Request, approve and carry out quorum actions.",
        subcommands: []
    )
}
