import ArgumentParser
import Escrow

/// `escrow custodian propose (add|remove) … --out change.json`: writes an unendorsed roster change for custodians
/// who endorse it remotely.
struct CustodianProposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Write a roster change for remote custodians to endorse ('escrow custodian endorse').",
        subcommands: [CustodianProposeAddCommand.self, CustodianProposeRemoveCommand.self]
    )
}
