import Escrow
import Foundation
import Testing

/// `escrow vault list` filters and `escrow vault show` by name or account id.
@Suite(.serialized) struct VaultListCLITests {
    /// Filters by metadata, state and custodian; show finds a vault by its account id and suggests close names.
    @Test func listFiltersAndShowByAccountID() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.activeVault(
            "acme-prod",
            custodians: ["alice", "bob", "carol"],
            meta: ["account_id=111111111111", "provider=aws", "account_name=Acme Production"]
        )
        try fixture.activeVault(
            "beta",
            custodians: ["alice", "dave"],
            meta: ["account_id=222222222222", "provider=gcp"]
        )
        try fixture.succeed(
            ["vault", "init", "gamma", "-t", "2", "--custodians", "alice,erin", "--meta", "provider=aws"]
                + fixture.acting("alice")
        )
        try fixture.put("pw", into: "acme-prod", entry: "root-password")
        let store = ["--store", fixture.store]
        let all = try fixture.succeed(["vault", "list"] + store).stdoutText
        #expect(all.split(separator: "\n").first?.hasPrefix("NAME") == true)
        #expect(all.contains("111111111111"))
        #expect(all.contains("Acme Production"))
        func names(_ arguments: [String]) throws -> [String] {
            let object = try fixture.object(try fixture.succeed(["vault", "list", "--json"] + arguments + store))
            return try #require(object["vaults"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        }
        #expect(try names(["--where", "provider=aws"]) == ["acme-prod", "gamma"])
        #expect(try names(["--where", "provider=aws", "--state", "active"]) == ["acme-prod"])
        #expect(try names(["--state", "pending"]) == ["gamma"])
        #expect(try names(["--custodian", "dave"]) == ["beta"])
        #expect(try names(["--custodian", "alice", "--where", "account_id=222222222222"]) == ["beta"])
        try fixture.refuse(
            ["vault", "list", "--custodian", "dav"] + store,
            "'dav' is not a custodian of this store (did you mean 'dave'?)"
        )
        let shown = try fixture.succeed(["vault", "show", "111111111111"] + store).stdoutText
        #expect(shown.hasPrefix("Vault acme-prod (id "))
        #expect(shown.contains("  root-password (password): 1 version(s), current "))
        let json = try fixture.object(try fixture.succeed(["vault", "show", "222222222222", "--json"] + store))
        #expect(json["name"] as? String == "beta")
        let policy = try #require(json["policy"] as? [String: Any])
        #expect(policy["threshold"] as? Int == 2)
        let custodians = try #require(policy["custodians"] as? [[String: Any]])
        #expect(
            custodians.map { $0["fingerprint"] as? String } == [
                try fixture.publicIdentity("alice").fingerprint.description,
                try fixture.publicIdentity("dave").fingerprint.description,
            ]
        )
        try fixture.refuse(
            ["vault", "show", "acme-prd"] + store,
            "no vault named 'acme-prd' in this store (did you mean 'acme-prod'?)"
        )
    }
}
