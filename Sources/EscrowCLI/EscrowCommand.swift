import ArgumentParser
import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `escrow` command: root credentials in vaults that only a quorum of named custodians can open.
@main
struct EscrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escrow",
        abstract: "Keep cloud root credentials in vaults that only a quorum of custodians can open.",
        version: "escrow 0.1.0 (libsodium \(Sodium.version))",
        subcommands: [
            InitCommand.self, StoreCommand.self, SyncCommand.self, CustodianCommand.self, VaultCommand.self,
            UnlockCommand.self, AuditCommand.self, BundleCommand.self, TOTPCommand.self, ShamirCommand.self,
            DemoCommand.self,
        ]
    )

    /// Keeps key material out of core dumps before any command runs, refuses a single-value option given twice
    /// (see ``RepeatedOptions``), then parses and runs as usual. A file-size limit (`ulimit -f`) makes writes fail
    /// with `EFBIG` and a one-line error instead of killing the process with `SIGXFSZ` halfway through a write.
    static func main() {
        ProcessHygiene.hardenProcess()
        _ = signal(SIGXFSZ, SIG_IGN)
        if let refusal = RepeatedOptions.firstRepeated(in: Array(CommandLine.arguments.dropFirst()), root: Self.self) {
            RepeatedOptions.exit(refusal, root: Self.self)
        }
        if let problem = SubcommandCheck.problem(in: Array(CommandLine.arguments.dropFirst()), root: Self.self) {
            Console.error(problem)
            exit(withError: ExitStatus.usage.exitCode)
        }
        main(nil)
    }
}
