import Foundation
import Testing

/// `escrow audit show|verify` end to end.
@Suite struct AuditCLITests {
    func prepared() throws -> StoreCLIFixture {
        let fixture = try StoreCLIFixture()
        try fixture.standardStore()
        try fixture.succeed(
            ["vault", "init", "globex", "--threshold", "2", "--custodians", "bob,carol"] + fixture.acting("bob")
        )
        try fixture.succeed(
            ["vault", "put", "acme", "root", "--kind", "password", "--reason", "first deposit"]
                + fixture.acting("carol"),
            stdin: Array("pw-one-two-three\n".utf8)
        )
        return fixture
    }

    @Test func showAndFilter() throws {
        let fixture = try prepared()
        defer { fixture.cleanUp() }
        let lines = try fixture.succeed(["audit", "show", "--store", fixture.store]).stdoutText.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines[0].hasPrefix("#1  "))
        #expect(lines[0].contains("store.init") && lines[0].contains("alice ("))
        #expect(
            lines[5].contains("vault.init") && lines[5].contains("vault=acme")
                && lines[5].contains("custodians=alice,bob,carol,dave,erin")
        )
        #expect(
            lines[7].contains("entry.put") && lines[7].contains("entry=root kind=password version=1")
                && lines[7].hasSuffix("reason=\"first deposit\"")
        )
        let acme = try fixture.succeed(["audit", "show", "--vault", "acme", "--store", fixture.store]).stdoutText.split(
            separator: "\n"
        )
        #expect(acme.map { $0.prefix(3) } == ["#6 ", "#8 "])
        let json = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try fixture.succeed(["audit", "show", "--json", "--store", fixture.store]).stdout)
            ) as? [[String: Any]]
        )
        #expect(json.count == 8)
        #expect(json.compactMap { $0["seq"] as? Int } == Array(1...8))
        #expect(json[7]["prev"] as? String != nil && json[7]["signature"] as? String != nil)
        let empty = try fixture.succeed(["audit", "show", "--vault", "nothing", "--store", fixture.store])
        #expect(empty.stdoutText == "No audit records for vault 'nothing'.\n")
    }

    @Test func verifyPrintsTheHeadAndChecksAnchors() throws {
        let fixture = try prepared()
        defer { fixture.cleanUp() }
        let verified = try fixture.succeed(["audit", "verify", "--store", fixture.store]).stdoutText
        #expect(
            verified.hasPrefix(
                "Audit log verified: 8 records, hash chain and signatures intact, 4 store files match.\nHead: "
            )
        )
        let head = String(try #require(verified.split(separator: " ").last).dropLast())
        #expect(head.count == 64)
        try fixture.succeed(
            ["vault", "put", "acme", "other", "--kind", "note"] + fixture.acting("dave"),
            stdin: Array("n".utf8)
        )
        let anchored = try fixture.succeed(["audit", "verify", "--anchor", head, "--store", fixture.store]).stdoutText
        #expect(anchored.contains("The anchor is record 8 of the chain."))
        let json = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try fixture.succeed(["audit", "verify", "--json", "--store", fixture.store]).stdout)
            ) as? [String: Any]
        )
        #expect(json["records"] as? Int == 9 && json["ok"] as? Bool == true)
        try fixture.refuse(
            ["audit", "verify", "--anchor", String(repeating: "ab", count: 32), "--store", fixture.store],
            "is not in this log"
        )
        try fixture.refuse(
            ["audit", "verify", "--anchor", "xyz", "--store", fixture.store],
            "--anchor must be a 64-digit hex head hash"
        )
    }

    func editLog(_ fixture: StoreCLIFixture, _ edit: (inout [String]) -> Void) throws {
        var lines = try fixture.read("store/audit.log").split(separator: "\n").map(String.init)
        edit(&lines)
        try fixture.write(lines.joined(separator: "\n") + "\n", to: "store/audit.log")
    }

    @Test func verifyCatchesEditsReordersInsertionsAndDeletions() throws {
        let fixture = try prepared()
        defer { fixture.cleanUp() }
        let original = try fixture.read("store/audit.log")
        let cases: [((inout [String]) -> Void, String)] = [
            (
                { $0[7] = $0[7].replacingOccurrences(of: "first deposit", with: "other reason") },
                "audit.log line 8: the signature of carol"
            ),
            ({ $0.swapAt(2, 3) }, "audit.log line 3: sequence number 4 where 3 was expected"),
            ({ $0.insert($0[1], at: 4) }, "audit.log line 5: sequence number 2 where 5 was expected"),
            ({ $0.remove(at: 4) }, "audit.log line 5: sequence number 6 where 5 was expected"),
            ({ $0.removeFirst(2) }, "audit.log line 1: sequence number 3 where 1 was expected"),
            ({ $0[3] = "{\"seq\":4}" }, "audit.log line 4"),
        ]
        for (edit, fragment) in cases {
            try fixture.write(original, to: "store/audit.log")
            try editLog(fixture, edit)
            let before = try fixture.snapshot()
            try fixture.refuse(["audit", "verify", "--store", fixture.store], fragment)
            #expect(try fixture.snapshot() == before)
        }
        try fixture.write(original, to: "store/audit.log")
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }
}
