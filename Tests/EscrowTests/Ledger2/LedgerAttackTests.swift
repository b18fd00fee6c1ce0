import Foundation
import Sodium
import Testing

@testable import Escrow

/// Each test is an attack by an insider or a store writer; each must fail in the fold that every command runs.
@Suite struct LedgerAttackTests {
    /// Writes `event` straight into the store (what a store writer can do), then re-reads the store.
    func plant(_ event: Event, in fixture: LedgerFixture) throws -> Ledger {
        _ = try fixture.ledger.directory.write([event])
        return try fixture.reopen()
    }

    func forged(_ type: EventType, body: some Encodable, by author: CustodianIdentity, on ledger: Ledger) throws
        -> Event
    {
        try Event.make(
            store: ledger.state.storeID,
            type: type.rawValue,
            author: author,
            parents: ledger.graph.heads,
            previous: ledger.state.latestByAuthor[author.publicIdentity.signingKey],
            time: UTCTime(secondsSinceEpoch: 1_780_100_000),
            body: try JSONCoding.encode(body)
        )
    }

    @Test func nonMemberCannotAddItselfToTheRoster() throws {
        let fixture = try LedgerFixture(withVault: false)
        let mallory = try identity("mallory")
        var change = try fixture.ledger.rosterChange(
            add: [MemberRecord(mallory.publicIdentity, role: .custodian)],
            remove: [],
            quorum: nil
        )
        change.approvals = [
            Endorsement(
                key: mallory.publicIdentity.signingKey,
                signature: mallory.sign(
                    try change.proposalMessage(store: fixture.ledger.state.storeID)
                )
            )
        ]
        let reopened = try plant(try forged(.roster, body: change, by: mallory, on: fixture.ledger), in: fixture)
        #expect(reopened.state.member(named: "mallory") == nil)
        #expect(reopened.state.violations.map(\.message) == ["mallory is not a member of this store"])
    }

    @Test func oneCustodianCannotChangeTheRosterAlone() throws {
        let fixture = try LedgerFixture(withVault: false)
        let mallory = try identity("mallory")
        var change = try fixture.ledger.rosterChange(
            add: [MemberRecord(mallory.publicIdentity, role: .custodian)],
            remove: [],
            quorum: nil
        )
        change.approvals = [try fixture.ledger.endorse(change, by: fixture.person("bob"))]
        let reopened = try plant(
            try forged(.roster, body: change, by: fixture.person("bob"), on: fixture.ledger),
            in: fixture
        )
        #expect(reopened.state.member(named: "mallory") == nil)
        #expect(
            reopened.state.violations.map(\.message) == [
                "1 of the 2 custodian endorsements a roster change needs"
            ]
        )
    }

    @Test func aVaultNameIsNeverTakenTwice() throws {
        let fixture = try LedgerFixture()
        // bob re-creates "acme" with himself and erin, intending to receive the next rotation's shares.
        let rogue = try fixture.ledger.createVault(
            named: "acme-tmp",
            metadata: [:],
            threshold: 2,
            custodians: ["bob", "erin"],
            by: fixture.person("bob"),
            at: fixture.now()
        )
        var body = try EventBody.decode(VaultCreateBody.self, of: rogue)
        body.vault.name = "acme"
        let reopened = try plant(
            try forged(.vaultCreate, body: body, by: fixture.person("bob"), on: fixture.ledger),
            in: fixture
        )
        #expect(reopened.state.vault(named: "acme")?.policy.custodians.count == 5)
        #expect(
            reopened.state.violations.map(\.message) == [
                "the vault name 'acme' was used before (names are never reused)"
            ]
        )
    }

    @Test func aRemovedCustodianCannotDeposit() throws {
        let fixture = try LedgerFixture()
        let bob = fixture.person("bob")
        var random = try deterministicRandom(9)
        let deposit = try fixture.ledger.deposit(
            secure("attacker-chosen"),
            into: "acme",
            entry: "root-password",
            kind: .password,
            by: bob,
            at: fixture.now(),
            random: &random
        )
        try fixture.removeMember("bob")
        // bob's deposit, made before his removal but planted after it.
        let replanted = try forged(
            .deposit,
            body: try EventBody.decode(DepositBody.self, of: deposit),
            by: bob,
            on: fixture.ledger
        )
        let reopened = try plant(replanted, in: fixture)
        #expect(reopened.state.vault(named: "acme")?.entries["root-password"]?.count == 1)
        #expect(reopened.state.violations.map(\.message) == ["bob was removed from the roster"])
    }

    @Test func anEditedEventRefusesTheStore() throws {
        let fixture = try LedgerFixture()
        let vault = try #require(fixture.ledger.state.vault(named: "acme"))
        let path = "\(fixture.path)/\(Event.relativePath(of: vault.created))"
        var bytes = try FileSystem.read(path)
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
            of: "\"threshold\":3",
            with: "\"threshold\":2"
        )
        bytes = Array(text.utf8)
        try DurableFile.write(bytes, to: path)
        #expect(throws: EscrowError.self) { _ = try fixture.reopen() }
    }

    @Test func anEventOfAnotherStoreIsRefused() throws {
        let fixture = try LedgerFixture()
        let other = try LedgerFixture(withVault: false)
        let foreign = try forged(
            .roster,
            body: try other.ledger.rosterChange(add: [], remove: [], quorum: 3),
            by: other.person("alice"),
            on: other.ledger
        )
        // Planted by hand: the store's own writer refuses it.
        #expect(throws: EscrowError.self) { _ = try fixture.ledger.directory.write([foreign]) }
        let path = "\(fixture.path)/\(foreign.relativePath)"
        try FileSystem.makeDirectory(FileSystem.directory(of: path))
        try DurableFile.write(foreign.bytes, to: path)
        let error = expectEscrowError(.tampered) { _ = try fixture.reopen() }
        #expect(error?.message.contains("belongs to store") == true)
    }

    @Test func aContributorThatShiftsTheKeyIsNamedAndTheVersionStillOpens() throws {
        let fixture = try LedgerFixture()
        let request = try fixture.ledger.request(
            .resplit,
            targets: [try fixture.ledger.resplitTarget(vault: "acme", remove: ["erin"], add: [], threshold: 3)],
            recipient: nil,
            reason: "erin leaves",
            expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try fixture.ledger.append([request])
        for name in ["alice", "bob", "carol"] {
            try fixture.ledger.append([
                try fixture.ledger.approve(
                    request.id,
                    by: fixture.person(name),
                    at: fixture.now(),
                    random: &fixture.random
                )
            ])
        }
        // dave's approval: every sub-share of root-password carries a shifted value (with matching digests: dave
        // signs what he made, so the fold and the digests cannot tell; only the commitment can).
        var random = try deterministicRandom(3)
        let honest = try fixture.ledger.approve(
            request.id,
            by: fixture.person("dave"),
            at: fixture.now(),
            random: &random
        )
        let dishonest = try LedgerCheats.shiftingContribution(
            honest,
            entry: "root-password",
            ledger: fixture.ledger,
            by: fixture.person("dave")
        )
        try fixture.ledger.append([dishonest])
        try fixture.ledger.append([
            try fixture.ledger.execute(request.id, by: fixture.person("alice"), at: fixture.now())
        ])
        let (open, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password"],
            approvers: ["alice", "bob", "carol"]
        )
        let (versions, event) = try fixture.ledger.open(
            open,
            requestKeys: keys,
            by: fixture.person("alice"),
            at: fixture.now()
        )
        #expect(string(versions[0].value) == "s3cret-root-password")
        let daveX = try #require(
            fixture.ledger.state.vault(named: "acme")?.policies[1]?
                .custodian(withKey: fixture.person("dave").publicIdentity.signingKey)?.x
        )
        #expect(versions[0].suspects == [[daveX]])
        try fixture.ledger.append([event])
    }
}
