import ArgumentParser
import Escrow

/// `escrow unlock …`: quorum requests and approvals.
struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Request, approve and carry out quorum actions.",
        discussion: """
            An open goes: 'unlock request' (you) → 'unlock approve' (each custodian, after 'escrow sync') → \
            'unlock status' → 'unlock open' (you). Releases, re-splits, closes and reopens are requested with \
            'escrow vault …' and carried out with 'unlock execute'. 'unlock ceremony' does it all in one room.
            """,
        subcommands: [
            UnlockRequestCommand.self, UnlockPendingCommand.self, UnlockApproveCommand.self,
            UnlockStatusCommand.self, UnlockOpenCommand.self, UnlockExecuteCommand.self, UnlockCeremonyCommand.self,
        ]
    )

}
