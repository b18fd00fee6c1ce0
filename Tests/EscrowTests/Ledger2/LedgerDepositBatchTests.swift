import Sodium
import Testing

@testable import Escrow

/// `deposit.batch` events: the fold's rules for every item, atomicity, and readers that see batch items exactly like
/// single deposits.
@Suite struct LedgerDepositBatchTests {
    /// A second active 3-of-5 vault with the same custodians as `acme` (so an item moved there keeps its shape).
    func fixtureWithBeta() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        try fixture.createVault("beta", threshold: 3, custodians: LedgerFixture.names)
        return fixture
    }

    func batch(_ items: [(vault: String, entry: String, value: String)], fixture: LedgerFixture) throws -> Event {
        let events = try fixture.ledger.depositBatch(
            items.map {
                Ledger.BatchDeposit(value: secure($0.value), vault: $0.vault, entry: $0.entry, kind: .password)
            },
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random
        )
        #expect(events.count == 1)
        return try #require(events.first)
    }

    /// `body` signed by `author` on top of the current heads (what a member can make with its own key).
    func forge(_ body: DepositBatchBody, by author: String, in fixture: LedgerFixture) throws -> Event {
        let identity = fixture.person(author)
        return try Event.make(
            store: fixture.ledger.state.storeID,
            type: EventType.depositBatch.rawValue,
            author: identity,
            parents: fixture.ledger.graph.heads,
            previous: fixture.ledger.state.latestByAuthor[identity.publicIdentity.signingKey],
            time: fixture.now(),
            body: try JSONCoding.encode(body)
        )
    }

    /// A forged batch written straight into the store (bypassing the append's checks), then the store re-read.
    func plant(_ body: DepositBatchBody, by author: String, in fixture: LedgerFixture) throws -> Ledger {
        _ = try fixture.ledger.directory.write([try forge(body, by: author, in: fixture)])
        return try fixture.reopen()
    }

    func items(of event: Event) throws -> [DepositBody] {
        try EventBody.decode(DepositBatchBody.self, of: event).deposits
    }

    /// Every item of a batch is a version like a single deposit's: listed, opened with its own value, in the audit.
    @Test func batchItemsOpenLikeSingleDeposits() throws {
        let fixture = try fixtureWithBeta()
        let event = try batch(
            [("acme", "root-password", "rotated-1"), ("beta", "root-password", "beta-1"), ("acme", "api", "api-1")],
            fixture: fixture
        )
        try fixture.ledger.append([event])
        let reopened = try fixture.reopen()
        #expect(reopened.state.violations.isEmpty)
        let acme = try #require(reopened.state.vault(named: "acme"))
        #expect(acme.entries["root-password"]?.count == 2)
        #expect(acme.entries["root-password"]?.first?.isSuperseded == true)
        #expect(acme.entries["root-password"]?.last?.deposit == event.id)
        #expect(acme.entries["api"]?.last?.depositor == "bob")
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-password", "api"],
            approvers: ["alice", "bob", "carol"]
        )
        #expect(try fixture.open(request, keys: keys) == ["root-password": "rotated-1", "api": "api-1"])
        let (betaRequest, betaKeys) = try fixture.approvedOpen(
            "beta",
            entries: ["root-password"],
            approvers: ["dave", "erin", "carol"]
        )
        #expect(try fixture.open(betaRequest, keys: betaKeys) == ["root-password": "beta-1"])
        let audit = fixture.ledger.audit(AuditFilter(vault: "beta"))
        let entry = try #require(audit.first { $0.action == "deposit.batch" })
        #expect(entry.vaults == ["acme", "beta"])
        #expect(entry.summary.contains("password 'root-password' of 'acme'"))
        #expect(entry.summary.contains("password 'root-password' of 'beta'"))
        #expect(entry.summary.contains("password 'api' of 'acme'"))
    }

    /// A re-split approval opens a holder's values of many batch items in chunks on every core: the items are read
    /// through the ledger's batch cache on the calling thread, never in the workers. (A data race there crashed the
    /// bulk re-split end-to-end CLI test; this test covers the path but did not reproduce the race reliably.)
    @Test func resplitOpensManyBatchItemsOnAllCores() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        let entries = (0..<200).map { "e-\($0)" }
        let events = try fixture.ledger.depositBatch(
            entries.map { Ledger.BatchDeposit(value: secure("v-\($0)"), vault: "acme", entry: $0, kind: .password) },
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random,
            itemsPerEvent: 10
        )
        try fixture.ledger.append(events)
        try fixture.resplit("acme", remove: ["erin"], add: ["frank"], approvers: ["alice", "bob", "carol"])
        #expect(fixture.ledger.state.vault(named: "acme")?.generation == 2)
        let (request, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["e-0", "e-199"],
            approvers: ["alice", "frank", "dave"]
        )
        #expect(try fixture.open(request, keys: keys) == ["e-0": "v-e-0", "e-199": "v-e-199"])
    }

    /// A batch larger than the chunk size becomes chained events, each atomic, appended at once.
    @Test func bigBatchIsSplitIntoChainedEvents() throws {
        let fixture = try LedgerFixture()
        let deposits = (0..<7).map {
            Ledger.BatchDeposit(value: secure("v-\($0)"), vault: "acme", entry: "e-\($0)", kind: .password)
        }
        let events = try fixture.ledger.depositBatch(
            deposits,
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random,
            itemsPerEvent: 3
        )
        #expect(try events.map { try items(of: $0).count } == [3, 3, 1])
        for (previous, next) in zip(events, events.dropFirst()) {
            #expect(next.parents == [previous.id])
            #expect(next.previous == previous.id)
        }
        try fixture.ledger.append(events)
        #expect(fixture.ledger.state.vault(named: "acme")?.entries.count == 9)
        #expect(try fixture.reopen().state.violations.isEmpty)
    }

    /// A batch by someone who is not a member is refused whole.
    @Test func nonMemberBatchRefused() throws {
        let fixture = try LedgerFixture()
        let event = try batch([("acme", "a", "one")], fixture: fixture)
        let reopened = try plant(DepositBatchBody(deposits: try items(of: event)), by: "frank", in: fixture)
        #expect(reopened.state.violations.map(\.message) == ["frank is not a member of this store"])
        #expect(reopened.state.vault(named: "acme")?.entries["a"] == nil)
    }

    /// One item into a vault that is not active refuses the whole batch, naming the item; the others are not
    /// applied.
    @Test func itemIntoInactiveVaultRefusesTheBatch() throws {
        let fixture = try LedgerFixture()
        let good = try batch([("acme", "a", "one")], fixture: fixture)
        let pending = try fixture.ledger.createVault(
            named: "pending",
            metadata: [:],
            threshold: 3,
            custodians: LedgerFixture.names,
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try fixture.ledger.append([pending])
        var item = try #require(try items(of: try batch([("acme", "b", "two")], fixture: fixture)).first)
        item.vault = try #require(fixture.ledger.state.vault(named: "pending")).reference
        let reopened = try plant(
            DepositBatchBody(deposits: [try #require(try items(of: good).first), item]),
            by: "bob",
            in: fixture
        )
        let message = try #require(reopened.state.violations.first?.message)
        #expect(message.hasPrefix("deposit 2 of 2 (entry 'b' of vault 'pending'): vault 'pending' is not active yet"))
        #expect(message.hasSuffix("nothing of the batch was applied"))
        #expect(reopened.state.vault(named: "acme")?.entries["a"] == nil)
        #expect(reopened.state.versionIDs.count == fixture.ledger.state.versionIDs.count)
    }

    /// The same item twice, or an item replayed from another batch, reuses its version id: refused, named.
    @Test func duplicatedOrReplayedItemRefused() throws {
        let fixture = try LedgerFixture()
        let event = try batch([("acme", "a", "one"), ("acme", "b", "two")], fixture: fixture)
        let both = try items(of: event)
        var twice = try plant(DepositBatchBody(deposits: [both[0], both[1], both[0]]), by: "bob", in: fixture)
        #expect(
            twice.state.violations.first?.message.hasPrefix("deposit 3 of 3 (entry 'a' of vault 'acme'): version id ")
                == true
        )
        #expect(twice.state.vault(named: "acme")?.entries["b"] == nil)

        let fresh = try LedgerFixture()
        let original = try batch([("acme", "a", "one")], fixture: fresh)
        try fresh.ledger.append([original])
        let replay = try #require(try items(of: original).first)
        let other = try #require(try items(of: try batch([("acme", "c", "three")], fixture: fresh)).first)
        twice = try plant(DepositBatchBody(deposits: [other, replay]), by: "carol", in: fresh)
        let message = try #require(twice.state.violations.first?.message)
        #expect(message.contains("deposit 2 of 2 (entry 'a' of vault 'acme'): version id "))
        #expect(message.contains("malformed or used before"))
        #expect(twice.state.vault(named: "acme")?.entries["c"] == nil)
    }

    /// Items whose shares do not match the policy, or whose kind differs from an earlier item of the same entry,
    /// are refused with their position.
    @Test func itemShapeAndKindCheckedPerItem() throws {
        let fixture = try LedgerFixture()
        let event = try batch([("acme", "a", "one"), ("acme", "b", "two")], fixture: fixture)
        var both = try items(of: event)
        both[1].shares.removeLast()
        var reopened = try plant(DepositBatchBody(deposits: both), by: "bob", in: fixture)
        // Each planted event is a sibling of the earlier ones (same parents): look for its own finding.
        #expect(
            reopened.state.violations.contains {
                $0.message.hasPrefix("deposit 2 of 2 (entry 'b' of vault 'acme'): the shares do not match the policy")
            }
        )
        both = try items(of: event)
        both[1].entry = "a"
        both[1].kind = .note
        reopened = try plant(DepositBatchBody(deposits: both), by: "bob", in: fixture)
        #expect(
            reopened.state.violations.contains {
                $0.message.hasPrefix(
                    "deposit 2 of 2 (entry 'a' of vault 'acme'): entry 'a' holds password values, not note"
                )
            }
        )
        reopened = try plant(DepositBatchBody(deposits: []), by: "bob", in: fixture)
        #expect(reopened.state.violations.contains { $0.message == "the batch holds no deposit" })
    }

    /// Reordered items are the same deposits (nothing binds an item to its index); an item moved to another vault
    /// is accepted by the fold (its shape fits) but does not open, and a tampered digest is named at approval.
    @Test func reorderedMovedAndTamperedItems() throws {
        let fixture = try fixtureWithBeta()
        let event = try batch([("acme", "a", "one"), ("acme", "b", "two"), ("acme", "c", "three")], fixture: fixture)
        var all = try items(of: event)
        all.reverse()
        // Moved: item "b" now claims vault beta; tampered: item "a"'s first digest flipped.
        all[1].vault = try #require(fixture.ledger.state.vault(named: "beta")).reference
        for index in all[2].shares.indices {
            var digest = try #require(all[2].shares[index].digest).bytes
            digest[0] ^= 1
            all[2].shares[index].digest = HexBytes(digest)
        }
        // The fold cannot tell (it holds no values): the append accepts the batch.
        try fixture.ledger.append([try forge(DepositBatchBody(deposits: all), by: "bob", in: fixture)])
        let reopened = try fixture.reopen()
        #expect(reopened.state.violations.isEmpty)
        #expect(reopened.state.vault(named: "beta")?.entries["b"] != nil)
        #expect(reopened.state.vault(named: "acme")?.entries["c"] != nil)
        // The untouched item still opens.
        let (request, keys) = try fixture.approvedOpen("acme", entries: ["c"], approvers: ["alice", "bob", "carol"])
        #expect(try fixture.open(request, keys: keys) == ["c": "three"])
        // The moved item's shares are bound to acme: no holder can open them as beta's.
        #expect(throws: EscrowError.self) {
            _ = try fixture.approvedOpen("beta", entries: ["b"], approvers: ["alice"])
        }
        // The tampered digests are named when a holder opens its value of entry a.
        do {
            _ = try fixture.approvedOpen("acme", entries: ["a"], approvers: ["alice"])
            Issue.record("a tampered digest was accepted")
        } catch {
            #expect(String(describing: error).contains("digest"), "\(error)")
            // The depositor's share of the entry, in the vault, is named.
            #expect(
                (error as? EscrowError)?.message.hasSuffix("'s share of a (acme) does not match its published digest")
                    == true,
                "\(error)"
            )
        }
    }
}
