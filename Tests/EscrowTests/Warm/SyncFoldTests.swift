import Sodium
import Testing

@testable import Escrow

/// `Ledger.sync` reads every incoming file with one git process and folds the verified union in memory: the result
/// must be exactly what a cold open of the merged work tree gives, whether the incoming events sort after the local
/// ones (folded on top) or among them (folded again from scratch).
@Suite("Sync folds in memory", .serialized)
struct SyncFoldTests {
    /// B deposits, requests and approves concurrently with A (and bob signs on both sides: an equivocation); each
    /// sync gives the cold-open fold.
    @Test func syncedFoldEqualsAColdOpen() throws {
        let clones = try WarmClones()
        let fixture = clones.fixture
        let b = try Ledger.open(at: clones.b.workTree)
        // A: a deposit by bob, a request with two approvals.
        try fixture.deposit("from-a", into: "acme", entry: "a-entry", kind: .password, by: "bob")
        _ = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: ["bob", "carol"])
        try clones.commitAll(clones.a, "a")
        try clones.a.push()
        // B, concurrently: a deposit by bob (a fork of bob's chain) and one by dave.
        var random = try deterministicRandom()
        for (name, entry) in [("bob", "b-entry"), ("dave", "d-entry")] {
            let event = try b.deposit(
                secure(entry),
                into: "acme",
                entry: entry,
                kind: .password,
                by: fixture.person(name),
                at: fixture.now(),
                random: &random
            )
            try b.append([event])
        }
        try clones.commitAll(clones.b, "b")
        let report = try b.sync(clones.b)
        #expect(report.received > 0)
        #expect(!b.graph.equivocations.isEmpty)
        #expect(report.findings.contains { $0.message.hasPrefix("equivocation:") })
        expectSameLedger(b, try Ledger.open(at: clones.b.workTree))
        // A takes in B's events.
        let reportA = try fixture.ledger.sync(clones.a)
        #expect(reportA.received == 2)
        expectSameLedger(fixture.ledger, try Ledger.open(at: clones.a.workTree))
        expectSameState(fixture.ledger.state, b.state)
    }

    /// Incoming events that all sort after the local ones are folded on top; the result equals a cold open, and a
    /// later append still folds like a cold open (the equivocation findings stay last).
    @Test func eventsOnTopAreFoldedInPlace() throws {
        let clones = try WarmClones()
        let fixture = clones.fixture
        let b = try Ledger.open(at: clones.b.workTree)
        try fixture.deposit("one", into: "acme", entry: "x", kind: .password, by: "carol")
        try fixture.deposit("two", into: "acme", entry: "y", kind: .password, by: "dave")
        try clones.commitAll(clones.a, "a")
        try clones.a.push()
        let countBefore = b.graph.count
        let report = try b.sync(clones.b)
        #expect(report.received == 2)
        #expect(b.graph.count == countBefore + 2)
        expectSameLedger(b, try Ledger.open(at: clones.b.workTree))
        var random = try deterministicRandom()
        let next = try b.deposit(
            secure("three"),
            into: "acme",
            entry: "z",
            kind: .password,
            by: fixture.person("erin"),
            at: fixture.now(),
            random: &random
        )
        try b.append([next])
        expectSameLedger(b, try Ledger.open(at: clones.b.workTree))
    }

    /// A remote file whose content is not its name's event refuses the sync (named), and nothing is merged: the
    /// ledger and the work tree are as they were.
    @Test func tamperedIncomingFileRefusesAndChangesNothing() throws {
        let clones = try WarmClones()
        let fixture = clones.fixture
        let b = try Ledger.open(at: clones.b.workTree)
        let event = try fixture.deposit("one", into: "acme", entry: "x", kind: .password, by: "carol")
        let path = fixture.directory.file("store/" + event.relativePath)
        var bytes = try FileSystem.read(path)
        bytes[bytes.count - 3] ^= 1
        try DurableFile.write(bytes, to: path)
        try clones.commitAll(clones.a, "tampered")
        try clones.a.push()
        let before = b.graph.canonicalOrder
        #expect {
            try b.sync(clones.b)
        } throws: { error in
            let error = error as? EscrowError
            return error?.message.contains(event.relativePath) == true
        }
        #expect(b.graph.canonicalOrder == before)
        #expect(!ledgerFileExists(clones.b.workTree + "/" + event.relativePath))
        expectSameLedger(b, try Ledger.open(at: clones.b.workTree))
    }

    /// Many files in one read: `readIncoming(paths:from:)` returns each blob's exact bytes, in order, and refuses a
    /// path that is not in the commit, naming it.
    @Test func batchReadReturnsEveryBlob() throws {
        let clones = try WarmClones()
        let fixture = clones.fixture
        var written: [Event] = []
        for index in 0..<40 {
            written.append(
                try fixture.deposit("v\(index)", into: "acme", entry: "e\(index)", kind: .password, by: "bob")
            )
        }
        try clones.commitAll(clones.a, "many")
        try clones.a.push()
        #expect(try clones.b.fetch())
        let commit = try #require(try clones.b.upstreamCommit())
        let paths = written.map(\.relativePath).reversed() + [StoreMarker.fileName]
        let blobs = try clones.b.readIncoming(paths: Array(paths), from: commit)
        #expect(blobs.dropLast() == written.reversed().map(\.bytes)[...])
        #expect(blobs.last == (try FileSystem.read(fixture.directory.file("store/" + StoreMarker.fileName))))
        #expect {
            try clones.b.readIncoming(paths: ["events/00/missing.json"], from: commit)
        } throws: { error in
            (error as? EscrowError)?.message == "events/00/missing.json is not in the fetched commit"
        }
        #expect(throws: EscrowError.self) { try clones.b.readIncoming(paths: ["events"], from: commit) }
    }
}
