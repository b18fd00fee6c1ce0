import Foundation
import Testing

/// Shell completions: the generated scripts call back into escrow for vault, entry and member names, and the
/// callback (argument-parser's `---completion`) reads them from the store the command line names.
@Suite(.serialized) struct CompletionCLITests {
    /// What the shell runs to complete the positional argument `index` of `command` on the line `words` (the last
    /// word being the one under the cursor).
    static func complete(_ command: [String], argument: String, words: [String]) -> [String] {
        let last = words.last ?? ""
        return ["---completion"] + command + ["--", argument, String(words.count - 1), String(last.count)] + words
    }

    @Test func scriptsCallBackForStoreNames() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        for shell in ["bash", "zsh", "fish"] {
            let result = try cli.run(["--generate-completion-script", shell])
            #expect(result.status == 0, "\(shell): \(result.stderr)")
            let script = result.stdoutText
            #expect(script.contains("---completion"), "\(shell) script has no custom completion hook")
            for hook in ["vault show -- positional@0", "custodian remove -- positional@0", "vault list -- --custodian"]
            {
                #expect(script.contains(hook), "\(shell) script lacks '\(hook)'")
            }
        }
    }

    @Test func completesNamesFromTheNamedStore() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(custodians: ["bob", "carol"])
        try fixture.activeVault("acme-prod", custodians: ["alice", "bob"])
        try fixture.activeVault("beta", custodians: ["alice", "carol"])
        try fixture.put("pw", into: "acme-prod", entry: "root-password")
        try fixture.put("key", into: "beta", entry: "access-key")
        func lines(_ arguments: [String], extra: [String: String] = [:]) throws -> [String] {
            let result = try fixture.run(arguments, extra: extra)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdoutText.split(separator: "\n").map(String.init)
        }
        let show = ["escrow", "vault", "show", "--store", fixture.store]
        #expect(
            try lines(Self.complete(["vault", "show"], argument: "positional@0", words: show + [""])) == [
                "acme-prod", "beta",
            ]
        )
        #expect(
            try lines(Self.complete(["vault", "show"], argument: "positional@0", words: show + ["ac"])) == [
                "acme-prod"
            ]
        )
        // $ESCROW_STORE when the line names no store.
        let bare = Self.complete(["vault", "show"], argument: "positional@0", words: ["escrow", "vault", "show", ""])
        #expect(try lines(bare, extra: ["ESCROW_STORE": fixture.store]) == ["acme-prod", "beta"])
        // Entries of the vault already on the line; members.
        let put = ["escrow", "vault", "put", "--store", fixture.store, "beta", ""]
        #expect(try lines(Self.complete(["vault", "put"], argument: "positional@1", words: put)) == ["access-key"])
        let remove = ["escrow", "custodian", "remove", "--store", fixture.store, ""]
        #expect(
            try lines(Self.complete(["custodian", "remove"], argument: "positional@0", words: remove)) == [
                "alice", "bob", "carol",
            ]
        )
        // No store, or not a store: nothing, silently, and nothing is created.
        let missing = fixture.cli.path("no-such-store")
        let none = try fixture.run(
            Self.complete(
                ["vault", "show"],
                argument: "positional@0",
                words: [
                    "escrow", "vault", "show", "--store",
                    missing, "",
                ]
            )
        )
        #expect(none.status == 0 && none.stdout.isEmpty && none.stderr.isEmpty, "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
