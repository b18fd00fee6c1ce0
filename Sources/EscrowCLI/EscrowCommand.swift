import ArgumentParser
import Escrow
import Sodium

/// The `escrow` command: root credentials in vaults whose master keys are split among named custodians.
@main
struct EscrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escrow",
        abstract: "Keep cloud root credentials in vaults that only a quorum of custodians can open.",
        version: "escrow 0.1.0 (libsodium \(Sodium.version))",
        subcommands: [
            ShamirCommand.self, InitCommand.self, CustodianCommand.self, VaultCommand.self, UnlockCommand.self,
            TOTPCommand.self, BundleCommand.self, AuditCommand.self, DemoCommand.self,
        ]
    )

    /// Keeps key material out of core dumps before any command runs, refuses a single-value option given twice
    /// (see ``RepeatedOptions``), then parses and runs as usual.
    static func main() {
        ProcessHygiene.hardenProcess()
        if let refusal = RepeatedOptions.firstRepeated(in: Array(CommandLine.arguments.dropFirst()), root: Self.self) {
            RepeatedOptions.exit(refusal, root: Self.self)
        }
        main(nil)
    }
}
