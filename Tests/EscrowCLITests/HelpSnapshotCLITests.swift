import ArgumentParser
import Foundation
import Testing

@testable import EscrowCLI

/// `escrow … --help` of every command, compared with `Snapshots/escrow[-group[-command]].txt`.
///
/// The command tree is read from `EscrowCommand.configuration` (the test target links the executable target), and
/// each help is produced by the built binary, 80 columns wide. On a mismatch the test prints a line diff; run
/// `ESCROW_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotCLITests` to rewrite the snapshots, then review them
/// with `git diff`.
@Suite(.serialized) struct HelpSnapshotCLITests {
    /// The environment variable that rewrites the snapshots instead of comparing.
    static let updateVariable = "ESCROW_UPDATE_SNAPSHOTS"

    /// The source directory of the snapshots (rewritten in place on update).
    static let snapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    /// Every command path below the root, depth first, in the order the help lists them.
    static func commandPaths(of command: any ParsableCommand.Type = EscrowCommand.self, prefix: [String] = [])
        -> [[String]]
    {
        command.configuration.subcommands.flatMap { subcommand -> [[String]] in
            let path = prefix + [subcommand._commandName]
            return [path] + commandPaths(of: subcommand, prefix: path)
        }
    }

    /// The help of `path`, as a user sees it on an 80-column terminal.
    static func help(_ path: [String], cli: CLIHarness) throws -> CLIHarness.Result {
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "80"
        return try cli.run(path + ["--help"], environment: environment)
    }

    @Test func everyCommandsHelpMatchesItsSnapshot() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let update = ProcessInfo.processInfo.environment[Self.updateVariable] == "1"
        var expectedFiles: Set<String> = []
        for path in [[]] + Self.commandPaths() {
            let name = (["escrow"] + path).joined(separator: "-") + ".txt"
            expectedFiles.insert(name)
            let result = try Self.help(path, cli: cli)
            #expect(result.status == 0, "escrow \(path.joined(separator: " ")) --help: \(result.stderr)")
            let actual = result.stdoutText
            let file = Self.snapshotDirectory.appendingPathComponent(name)
            if update {
                try FileManager.default.createDirectory(at: Self.snapshotDirectory, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: file)
                continue
            }
            guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
                Issue.record("no snapshot \(name): run \(Self.updateVariable)=1 swift test --filter HelpSnapshot")
                continue
            }
            if actual != expected {
                Issue.record(
                    """
                    escrow \(path.joined(separator: " ")) --help differs from Snapshots/\(name) \
                    (- snapshot, + now):
                    \(Self.diff(expected, actual))
                    If the change is intended: \(Self.updateVariable)=1 swift test --filter HelpSnapshotCLITests
                    """
                )
            }
        }
        if !update {
            let present = Set(
                (try? FileManager.default.contentsOfDirectory(atPath: Self.snapshotDirectory.path)) ?? []
            ).filter { $0.hasSuffix(".txt") }
            let stale = present.subtracting(expectedFiles)
            #expect(stale.isEmpty, "snapshots of no command (delete them): \(stale.sorted())")
        }
    }

    /// The tree read from the configuration is the one the binary's help lists: each group's SUBCOMMANDS section
    /// names exactly its children (so a command missing from the enumeration, or a hidden one, is noticed).
    @Test func commandTreeMatchesTheListedSubcommands() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let paths = Self.commandPaths()
        for group in [[]] + paths {
            let children = paths.filter { $0.count == group.count + 1 && Array($0.prefix(group.count)) == group }
                .map { $0[group.count] }
            let listed = Self.listedSubcommands(try Self.help(group, cli: cli).stdoutText)
            #expect(Set(listed) == Set(children), "escrow \(group.joined(separator: " ")): \(listed) vs \(children)")
        }
        #expect(paths.count > 40)
    }

    /// `--version` is the root's alone: listed in `escrow --help`, in no subcommand's help, and refused below it.
    @Test func versionOnlyAtTheRoot() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(try Self.help([], cli: cli).stdoutText.contains("--version"))
        for path in Self.commandPaths() {
            #expect(!(try Self.help(path, cli: cli).stdoutText.contains("--version")), "escrow \(path) --help")
        }
        let version = try cli.run(["--version"])
        #expect(version.status == 0 && version.stdoutText.hasPrefix("escrow "), "\(version.stderr)")
        for misplaced in [["vault", "list", "--version"], ["--version", "vault", "list"]] {
            let refused = try cli.run(misplaced)
            #expect(refused.status == 64 && refused.stdout.isEmpty, "escrow \(misplaced): \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("error: --version goes alone"))
        }
    }

    /// The subcommand names of a help text's SUBCOMMANDS section (`help` excluded).
    static func listedSubcommands(_ help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") {
                inSection = true
            } else if inSection, line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  See '") {
                let name = line.split(separator: " ").first.map(String.init) ?? ""
                if name != "help" { names.append(name) }
            } else if inSection, !line.hasPrefix(" "), !line.isEmpty {
                inSection = false
            }
        }
        return names
    }

    /// A minimal line diff: the lines only in `old` (`-`) and only in `new` (`+`), around the common prefix/suffix.
    static func diff(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var start = 0
        while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
        var endA = a.count
        var endB = b.count
        while endA > start, endB > start, a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        let removed = a[start..<endA].map { "- \($0)" }
        let added = b[start..<endB].map { "+ \($0)" }
        return (["@@ line \(start + 1)"] + removed + added).joined(separator: "\n")
    }
}
