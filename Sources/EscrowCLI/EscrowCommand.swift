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
///
/// `--version` is the root's own flag rather than `CommandConfiguration.version`: argument-parser (1.8.2) lists a
/// configured version in the help of every subcommand below it, and `escrow vault list --version` means nothing.
@main
struct EscrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escrow",
        abstract: "Keep cloud root credentials in vaults that only a quorum of custodians can open.",
        subcommands: [
            InitCommand.self, StoreCommand.self, SyncCommand.self, CustodianCommand.self, VaultCommand.self,
            UnlockCommand.self, AuditCommand.self, BundleCommand.self, TOTPCommand.self, ShamirCommand.self,
            DemoCommand.self,
        ]
    )

    /// What `escrow --version` prints.
    static var version: String { "escrow 0.1.0 (libsodium \(Sodium.version))" }

    @Flag(name: .customLong("version"), help: "Show the version.")
    var showVersion = false

    /// `escrow --version` prints the version; `escrow` alone prints the help, as a command group does.
    func run() throws {
        guard showVersion else { throw CleanExit.helpRequest(self) }
        Console.line(Self.version)
    }

    /// Keeps key material out of core dumps before any command runs, refuses a single-value option given twice
    /// (see ``RepeatedOptions``), then parses and runs as usual. A file-size limit (`ulimit -f`) makes writes fail
    /// with `EFBIG` and a one-line error instead of killing the process with `SIGXFSZ` halfway through a write.
    static func main() {
        ProcessHygiene.hardenProcess()
        _ = signal(SIGXFSZ, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first != "---completion",
            let refusal = RepeatedOptions.firstRepeated(in: arguments, root: Self.self)
        {
            RepeatedOptions.exit(refusal, root: Self.self)
        }
        // argument-parser accepts a parent's flag after a subcommand; `escrow vault list --version` would then run
        // `vault list` and ignore the flag. Only `escrow --version` shows the version. (Not in argument-parser's
        // completion callback, `escrow ---completion … WORDS`, where the words are the shell's.)
        if arguments.first != "---completion", arguments != ["--version"],
            arguments.prefix(while: { $0 != "--" }).contains("--version")
        {
            Console.error("--version goes alone: 'escrow --version' shows the version")
            exit(withError: ExitStatus.usage.exitCode)
        }
        if let problem = SubcommandCheck.problem(in: arguments, root: Self.self) {
            Console.error(problem)
            exit(withError: ExitStatus.usage.exitCode)
        }
        main(nil)
    }
}
