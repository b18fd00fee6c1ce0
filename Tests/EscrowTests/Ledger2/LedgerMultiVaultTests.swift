import Sodium
import Testing

@testable import Escrow

/// Requests naming several vaults (the CLI makes single-vault opens; the format and a modified client allow more).
@Suite struct LedgerMultiVaultTests {
    /// acme and globex (3 of 5, a password each), both re-split by four contributors (t + 1: each re-split leaves an
    /// unresolved level that the next open resolves), and an open of both passwords approved by bob and carol.
    private func approvedOpenOfTwoResplitVaults() throws -> (fixture: LedgerFixture, request: Event, keys: BoxKeyPair) {
        let fixture = try LedgerFixture()
        try fixture.createVault("globex", threshold: 3, custodians: LedgerFixture.names)
        try fixture.deposit("globex-root", into: "globex", entry: "root-password", kind: .password)
        for vault in ["acme", "globex"] {
            try fixture.resplit(vault, threshold: 2, approvers: ["bob", "carol", "dave", "erin"])
        }
        let ledger = fixture.ledger
        let keys = BoxKeyPair()
        let request = try ledger.request(
            .open,
            targets: [
                try ledger.versionsTarget(vault: "acme", entries: ["root-password"]),
                try ledger.versionsTarget(vault: "globex", entries: ["root-password"]),
            ],
            recipient: RequestRecipient(name: "alice (request key)", key: keys.publicKey),
            reason: "two accounts at once",
            expiresAt: UTCTime(secondsSinceEpoch: fixture.now().secondsSinceEpoch + 3600),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try ledger.append([request])
        for approver in ["bob", "carol"] {
            try ledger.append([
                try ledger.approve(request.id, by: fixture.person(approver), at: fixture.now(), random: &fixture.random)
            ])
        }
        return (fixture, request, keys)
    }

    @Test func anOpenAcrossTwoResplitVaultsResolvesBothAndOpensBoth() throws {
        let (fixture, request, keys) = try approvedOpenOfTwoResplitVaults()
        let ledger = fixture.ledger
        let (versions, execution) = try ledger.open(
            request.id,
            requestKeys: keys,
            by: fixture.person("alice"),
            at: fixture.now()
        )
        #expect(
            Set(versions.map { "\($0.vault)/\($0.entry)=\(string($0.value))" }) == [
                "acme/root-password=s3cret-root-password", "globex/root-password=globex-root",
            ]
        )
        let body = try EventBody.decode(ExecutionBody.self, of: execution)
        #expect(body.resolved.count == 2)
        try ledger.append([execution])
        let reopened = try fixture.reopen()
        #expect(reopened.state.findings.isEmpty, "\(reopened.state.findings)")
        #expect(reopened.state.requests[request.id]?.execution == execution.id)
        for vault in ["acme", "globex"] {
            let version = try #require(reopened.state.vault(named: vault)?.entries["root-password"]?.last)
            #expect(version.levels.count == 1)
            #expect(version.levels.allSatisfy { $0.resolved != nil })
        }
    }

    @Test func aRefusedExecutionChangesNoVault() throws {
        let (fixture, request, keys) = try approvedOpenOfTwoResplitVaults()
        let ledger = fixture.ledger
        let (_, honest) = try ledger.open(request.id, requestKeys: keys, by: fixture.person("alice"), at: fixture.now())
        var body = try EventBody.decode(ExecutionBody.self, of: honest)
        // The acme record stays valid; the globex record names a subset that is not a level's contributors.
        let globex = try #require(ledger.state.vault(named: "globex")?.entries["root-password"]?.last)
        body.resolved = body.resolved.map { record in
            guard record.version.bytes == globex.id else { return record }
            return ResolvedVersion(
                version: record.version.bytes,
                levels: record.levels.map { ResolvedLevel(resplit: $0.resplit.bytes, subset: [250, 251]) }
            )
        }
        let forged = try ledger.event(.execution, body: body, by: fixture.person("alice"), at: fixture.now())
        #expect(ledger.dryRun(forged)?.message.contains("malformed") == true)
        for vault in ["acme", "globex"] {
            let version = try #require(ledger.state.vault(named: vault)?.entries["root-password"]?.last)
            #expect(version.levels.allSatisfy { $0.resolved == nil }, "the dry run changed \(vault)")
        }
        // Written to the store anyway (a store writer can), it is refused by the fold and changes no vault.
        _ = try ledger.directory.write([forged])
        let reopened = try fixture.reopen()
        #expect(reopened.state.requests[request.id]?.execution == nil)
        for vault in ["acme", "globex"] {
            let version = try #require(reopened.state.vault(named: vault)?.entries["root-password"]?.last)
            #expect(version.levels.allSatisfy { $0.resolved == nil }, "\(vault) was changed by a refused event")
        }
    }
}
