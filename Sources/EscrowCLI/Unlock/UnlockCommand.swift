import ArgumentParser

/// `escrow unlock …`: opening credentials with a quorum, asynchronously (request → approve → open) or in the room.
struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Open credentials with a quorum of custodians: request, approve, status, open; or all in one room.",
        discussion: """
            Asynchronous: the requester runs 'unlock request' and sends the file to the custodians; each runs \
            'unlock approve' on their own machine (their share is re-encrypted to the request's key, never sent in \
            clear) and sends the approval back; 'unlock status' shows who approved; the requester runs \
            'unlock open' with enough approvals. In the room: 'escrow unlock VAULT --entry E --reason R \
            --identity A --identity B --identity C', each custodian typing their passphrase in turn. Every \
            execution is one audit record; a request executes once. (A vault named like one of the subcommands \
            needs the explicit form 'escrow unlock ceremony VAULT …'.)
            """,
        subcommands: [
            UnlockRequestCommand.self, UnlockApproveCommand.self, UnlockStatusCommand.self, UnlockOpenCommand.self,
            UnlockCeremonyCommand.self,
        ],
        defaultSubcommand: UnlockCeremonyCommand.self
    )
}
