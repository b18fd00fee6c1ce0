import Foundation
import Testing

/// Every printing command's `--json` is one JSON document that Foundation parses (schemas: Sources/EscrowCLI/JSON.md).
@Suite(.serialized) struct JSONOutputCLITests {
    /// Runs `arguments + ["--json"]`, which must exit with `status` (0: success) with a JSON object on standard
    /// output; returns it.
    @discardableResult
    static func document(
        _ fixture: StoreCLIFixture,
        _ arguments: [String],
        stdin: [UInt8] = [],
        status: Int32 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        let result = try fixture.run(arguments + ["--json"], stdin: stdin)
        #expect(
            result.status == status,
            "escrow \(arguments.joined(separator: " ")) --json: \(result.stderr)",
            sourceLocation: sourceLocation
        )
        let parsed = try? JSONSerialization.jsonObject(with: Data(result.stdout))
        let object = try #require(
            parsed as? [String: Any],
            "escrow \(arguments.joined(separator: " ")) --json: \(result.stdoutText)",
            sourceLocation: sourceLocation
        )
        return object
    }

    /// A small store (alice founds; bob and carol join), one vault with one entry, one open request: each printing
    /// command's `--json`, in the order an operator meets them.
    @Test func everyPrintingCommandPrintsParsableJSON() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let store = ["--store", fixture.store]
        try Self.document(
            fixture,
            [
                "custodian", "new", "alice", "--email", "alice@example.com", "--identity", fixture.cli.path("alice.id"),
                "--passphrase-file", fixture.cli.path("alice.pass"), "--kdf", "minimal",
            ]
        )
        try Self.document(fixture, ["init", "--name", "acme-msp", "--roster-quorum", "2"] + fixture.acting("alice"))
        try fixture.newIdentities(["bob", "carol"])
        for name in ["bob", "carol"] {
            let line = try fixture.publicLine(name)
            let endorse = name == "bob" ? [] : ["--endorse", fixture.cli.path("bob.id")]
            let passphrase = name == "bob" ? [] : ["--passphrase-file", fixture.cli.path("bob.pass")]
            try Self.document(fixture, ["custodian", "add", line] + fixture.acting("alice") + endorse + passphrase)
        }
        try Self.document(fixture, ["custodian", "list"] + store)
        try Self.document(fixture, ["custodian", "show", "bob"] + store)
        try Self.document(fixture, ["custodian", "show", "--identity", fixture.cli.path("bob.id")])
        try Self.document(fixture, ["store", "show"] + store)
        try Self.document(
            fixture,
            ["vault", "init", "acme", "-t", "2", "--custodians", "alice,bob,carol"] + fixture.acting("alice")
        )
        for name in ["alice", "bob", "carol"] {
            try Self.document(fixture, ["vault", "ack", "acme", "--yes"] + fixture.acting(name))
        }
        try Self.document(
            fixture,
            ["vault", "put", "acme", "root-password"] + fixture.acting("alice"),
            stdin: Array("hunter2".utf8)
        )
        try Self.document(fixture, ["vault", "list"] + store)
        try Self.document(fixture, ["vault", "show", "acme"] + store)
        let request = try Self.document(
            fixture,
            ["unlock", "request", "acme", "--reason", "json test"] + fixture.acting("alice")
        )
        try Self.document(fixture, ["unlock", "pending"] + fixture.acting("bob"))
        let id = try #require(request["request"] as? String ?? request["id"] as? String, "\(request)")
        // A request still waiting for approvals: exit 2 (not ready), the JSON all the same.
        let status = try Self.document(fixture, ["unlock", "status", id] + store, status: 2)
        #expect(status["status"] as? String == "waiting")
        try Self.document(fixture, ["vault", "close", "acme", "--reason", "json test"] + fixture.acting("alice"))
        try Self.document(fixture, ["audit", "show"] + store)
        try Self.document(fixture, ["audit", "verify"] + store)
    }
}
