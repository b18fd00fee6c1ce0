import Escrow
import Foundation
import Platform
import Testing

/// Every regular file under `path` (relative path → bytes): what a refused command must leave as it was.
func fileTree(_ path: String) throws -> [String: [UInt8]] {
    var tree: [String: [UInt8]] = [:]
    guard let walker = FileManager.default.enumerator(atPath: path) else { return tree }
    while let relative = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory) else { continue }
        tree[relative] =
            isDirectory.boolValue ? [] : Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)))
    }
    return tree
}

/// `unlock ceremony` records its refusals in the attempt journal of the custodian concerned, as the step it stands
/// for (`unlock open`, `unlock approve`, `unlock execute`) and with the refusal's own line, and that custodian's next
/// signed event publishes them.
@Suite("unlock ceremony refusals are journaled, through the binary")
struct CeremonyAttemptCLITests {
    /// The journal's path and its entries (`author` hex, `attempt` object), none if there is no journal.
    func journal(_ support: UnlockCLISupport) throws -> (path: String, entries: [[String: Any]]) {
        let store = try Ledger.open(at: support.fixture.store).state.storeID
        let path = support.fixture.cli.path("state/attempts/\(Hex.encode(store)).json")
        guard FileManager.default.fileExists(atPath: path) else { return (path, []) }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let document = try #require(object as? [String: Any])
        #expect(document["format"] as? String == "escrow-attempts")
        return (path, try #require(document["entries"] as? [[String: Any]]))
    }

    /// Runs a ceremony that must be refused (exit `status`) with one `error:` line containing `fragment` (the
    /// approve screens go to standard output).
    func refuse(
        _ support: UnlockCLISupport,
        _ arguments: [String],
        _ fragment: String,
        status: Int32 = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLIHarness.Result {
        let result = try support.fixture.run(arguments)
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "\(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// The refusal line of a refused command, without its `error: ` prefix.
    func refusal(_ result: CLIHarness.Result) throws -> String {
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") })
        return String(line.dropFirst("error: ".count))
    }

    func key(_ support: UnlockCLISupport, _ name: String) -> String {
        Hex.encode(support.person(name).publicIdentity.signingKey)
    }

    func ceremony(_ support: UnlockCLISupport, _ target: String, _ names: [String], passphrases: [String]? = nil)
        -> [String]
    {
        let fixture = support.fixture
        return ["unlock", "ceremony", target, "--yes", "--store", fixture.store]
            + names.flatMap { ["--identity", fixture.cli.path("\($0).id")] }
            + (passphrases ?? names.map { "\($0).pass" }).flatMap { ["--passphrase-file", fixture.cli.path($0)] }
    }

    func audit(_ support: UnlockCLISupport) throws -> [[String: Any]] {
        let fixture = support.fixture
        let result = try fixture.succeed(
            ["audit", "show", "--json", "--action", "attempt", "--store", fixture.store]
        )
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
        return try #require(object?["entries"] as? [[String: Any]])
    }

    @Test func tooFewCustodiansInTheRoomIsTheRequestersRefusedOpen() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let store = try fileTree(fixture.store)
        let state = try fileTree(fixture.cli.path("state"))
        let result = try fixture.refuse(
            [
                "unlock", "ceremony", "acme", "--entry", "root-password", "--reason", "in the room", "--yes",
                "--store", fixture.store, "--identity", fixture.cli.path("bob.id"), "--identity",
                fixture.cli.path("carol.id"),
            ],
            "the custodians present hold 2 shares of root-password, which needs 3",
            status: 2
        )
        let message =
            "the custodians present hold 2 shares of root-password, which needs 3: bring more custodians "
            + "(nothing was written)"
        #expect(try refusal(result) == message)
        let (_, entries) = try journal(support)
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry["author"] as? String == key(support, "bob"))
        let attempt = try #require(entry["attempt"] as? [String: Any])
        #expect(attempt["command"] as? String == "unlock open")
        #expect(attempt["outcome"] as? String == "refused")
        #expect(attempt["detail"] as? String == message)
        #expect(attempt["request"] == nil || attempt["request"] is NSNull)
        #expect(Set(attempt.keys).isSubset(of: ["time", "command", "outcome", "detail", "request"]))
        // Nothing else changed: not the store, and in the state directory only the journal appeared.
        #expect(try fileTree(fixture.store) == store)
        var after = try fileTree(fixture.cli.path("state"))
        let relative = "attempts/\(Hex.encode(try Ledger.open(at: fixture.store).state.storeID)).json"
        #expect(after.removeValue(forKey: relative) != nil)
        if state["attempts"] == nil { #expect(after.removeValue(forKey: "attempts") != nil) }
        #expect(after == state)

        // Bob's next signed event (an approval in a ceremony) publishes it.
        let close = try support.request(.close)
        let done = try fixture.succeed(ceremony(support, close.id.short, ["bob", "carol", "dave"]))
        #expect(done.stderr.contains("published 1 earlier refused attempt(s) to the store's log"), "\(done.stderr)")
        #expect(try journal(support).entries.isEmpty)
        let published = try audit(support)
        #expect(published.count == 1)
        #expect(published.first?["actor"] as? String == "bob")
        #expect(published.first?["summary"] as? String == "unlock open refused: \(message)")
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func aWrongPassphraseIsThatApproversAndPublishedWithItsApproval() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let close = try support.request(.close)
        let secret = "not bob's passphrase at all"
        try fixture.write(secret + "\n", to: "wrong.pass")
        let store = try fileTree(fixture.store)
        let state = try fileTree(fixture.cli.path("state"))
        let result = try refuse(
            support,
            ceremony(
                support,
                close.id.short,
                ["bob", "carol", "dave"],
                passphrases: ["wrong.pass", "carol.pass", "dave.pass"]
            ),
            "passphrase"
        )
        let (_, entries) = try journal(support)
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry["author"] as? String == key(support, "bob"))
        let attempt = try #require(entry["attempt"] as? [String: Any])
        #expect(attempt["command"] as? String == "unlock approve")
        #expect(attempt["outcome"] as? String == "wrong_passphrase")
        #expect(attempt["request"] as? String == close.id.description)
        #expect(attempt["detail"] as? String == (try refusal(result)))
        #expect(!(try String(contentsOfFile: try journal(support).path, encoding: .utf8)).contains(secret))
        #expect(try fileTree(fixture.store) == store)
        var after = try fileTree(fixture.cli.path("state"))
        #expect(
            after.removeValue(forKey: "attempts/\(Hex.encode(try Ledger.open(at: fixture.store).state.storeID)).json")
                != nil
        )
        if state["attempts"] == nil { #expect(after.removeValue(forKey: "attempts") != nil) }
        #expect(after == state)

        let done = try fixture.succeed(ceremony(support, close.id.short, ["bob", "carol", "dave"]))
        #expect(
            done.stderr.contains("warning: 1 wrong passphrase(s) were typed for your identity since it was last used"),
            "\(done.stderr)"
        )
        #expect(try journal(support).entries.isEmpty)
        let published = try audit(support)
        #expect(
            published.map { $0["summary"] as? String } == [
                "wrong passphrase at unlock approve of request \(close.id.short)"
            ]
        )
        #expect(published.first?["actor"] as? String == "bob")
        #expect(published.first?["request"] as? String == close.id.description)
    }

    @Test func tooFewApprovalsAtTheEndIsTheExecutorsRefusedExecution() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let close = try support.request(.close)
        let events = try support.eventCount()
        let result = try refuse(
            support,
            ceremony(support, close.id.short, ["bob", "carol"]),
            "request \(close.id.short) is still not ready: ",
            status: 2
        )
        #expect(try support.eventCount() == events + 2)  // the two approvals, nothing else
        let (_, entries) = try journal(support)
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry["author"] as? String == key(support, "bob"))
        let attempt = try #require(entry["attempt"] as? [String: Any])
        #expect(attempt["command"] as? String == "unlock execute")
        #expect(attempt["outcome"] as? String == "refused")
        #expect(attempt["request"] as? String == close.id.description)
        #expect(attempt["detail"] as? String == (try refusal(result)))
        #expect(try audit(support).isEmpty)
    }

    /// Writing the fold snapshot sweeps the state directory of stale temporary files (exact names, writer gone).
    @Test func staleStateTemporariesAreSweptWhenTheSnapshotIsWritten() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let state = fixture.cli.path("state")
        var dead: Int32 = 99_999
        if let text = try? String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8),
            let maximum = Int32(text.filter(\.isNumber))
        {
            dead = maximum + 1
        }
        let stale = [
            "snapshots/.fold-0123.snapshot.tmp-\(dead)-0", "trust/.0123.json.tmp-0123456789ab",
            "attempts/.0123.json.tmp-\(dead)-2", "sync/.0123.tmp-\(dead)-0", "requests/.0123.key.tmp-\(dead)-0",
        ]
        let kept = [
            "trust/.fresh.json.tmp-0123456789ab", "trust/.0123.json.tmp-0123456789AB", "trust/0123.json.tmp-1-0",
        ]
        for name in stale + kept {
            let path = state + "/" + name
            try FileManager.default.createDirectory(
                atPath: FileSystem.directory(of: path),
                withIntermediateDirectories: true
            )
            try Data([1]).write(to: URL(fileURLWithPath: path))
            if !name.contains("fresh") {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(-700)],
                    ofItemAtPath: path
                )
            }
        }
        // The first command opens cold and writes the snapshot: swept.
        try fixture.succeed(["vault", "list", "--store", fixture.store])
        #expect(FileManager.default.fileExists(atPath: state + "/snapshots"))
        for name in stale { #expect(!FileManager.default.fileExists(atPath: state + "/" + name), "\(name)") }
        for name in kept { #expect(FileManager.default.fileExists(atPath: state + "/" + name), "\(name)") }
        // A warm command that writes no snapshot lists nothing.
        let again = state + "/" + stale[0]
        try Data([1]).write(to: URL(fileURLWithPath: again))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-700)], ofItemAtPath: again)
        try fixture.succeed(["vault", "list", "--store", fixture.store])
        #expect(FileManager.default.fileExists(atPath: again))
    }
}
