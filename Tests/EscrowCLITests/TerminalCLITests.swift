import Foundation
import Testing

/// What a person sees at a terminal: the approval question and the in-room ceremony, where each custodian types
/// their passphrase in turn without echo. util-linux `script` provides the pseudo-terminal.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux script"))
struct TerminalCLITests {
    @Test func approvalAsksAndTheCeremonyTakesPassphrasesInTurn() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore()
        let request = try fixture.request("req.json")
        let passphrase = { (name: String) in "correct horse battery staple \(name)\n" }

        // Declining writes nothing.
        let declined = try fixture.cli.runOnTerminal(
            [
                "unlock", "approve", request, "--identity", fixture.cli.path("bob.id"), "--store", fixture.store,
                "--out", fixture.cli.path("bob.approval"),
            ],
            answering: [("Type yes to approve: ", "no\n")]
        )
        #expect(declined.contains("  you:        bob ("))
        #expect(declined.contains("error: not approved: nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("bob.approval")))

        let approved = try fixture.cli.runOnTerminal(
            [
                "unlock", "approve", request, "--identity", fixture.cli.path("bob.id"), "--store", fixture.store,
                "--out", fixture.cli.path("bob.approval"),
            ],
            answering: [("Type yes to approve: ", "yes\n"), ("Passphrase for bob (", passphrase("bob"))]
        )
        #expect(approved.contains("Approved request "))
        #expect(!approved.contains("staple bob"), "the passphrase was echoed: \(approved)")
        #expect(FileManager.default.fileExists(atPath: fixture.cli.path("bob.approval")))

        // In the room: carol types at the terminal, alice and dave too; nobody's passphrase is echoed.
        let ceremony = try fixture.cli.runOnTerminal(
            ["unlock", "acme", "--entry", "root-password", "--reason", "in the room", "--store", fixture.store]
                + ["carol", "alice", "dave"].flatMap { ["--identity", fixture.cli.path("\($0).id")] },
            answering: [
                ("Passphrase for carol (", passphrase("carol")), ("Passphrase for alice (", passphrase("alice")),
                ("Passphrase for dave (", passphrase("dave")),
            ]
        )
        #expect(ceremony.contains("In-room ceremony: open root-password of vault 'acme'."))
        let turns = ["Custodian 1 of 3: carol", "Custodian 2 of 3: alice", "Custodian 3 of 3: dave"].map {
            ceremony.range(of: $0)?.lowerBound
        }
        #expect(turns.allSatisfy { $0 != nil })
        #expect(turns.compactMap { $0 } == turns.compactMap { $0 }.sorted(), "asked in the order given")
        #expect(ceremony.contains("root-password (password, version 1):\n\(StoreCLIFixture.password)\n"))
        #expect(!ceremony.contains("battery staple"), "a passphrase was echoed: \(ceremony)")
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }
}
