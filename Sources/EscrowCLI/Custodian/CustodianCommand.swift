import ArgumentParser

/// `escrow custodian …`: identities and the store's roster.
struct CustodianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custodian",
        abstract: "Create identities and manage the store's roster of custodians and depositors.",
        subcommands: [
            CustodianNewCommand.self, CustodianPasswdCommand.self, CustodianShowCommand.self, CustodianListCommand.self,
            CustodianAddCommand.self, CustodianRemoveCommand.self, CustodianProposeCommand.self,
            CustodianEndorseCommand.self, CustodianApplyCommand.self,
        ]
    )
}
