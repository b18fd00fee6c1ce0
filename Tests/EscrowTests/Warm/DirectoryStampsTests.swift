import Sodium
import Testing

@testable import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A warm open lists only the event directories whose stamps changed since the snapshot's listing
/// (``DirectoryStamps``): what it skips must hold exactly what the snapshot covers, and every change to a directory
/// (an added, removed or replaced file, times set back) must make it list that directory again.
@Suite("Warm open: unchanged event directories are not listed", .serialized)
struct DirectoryStampsTests {
    func cache(_ fixture: LedgerFixture) -> FoldCache {
        FoldCache(directory: fixture.directory.file("state"))
    }

    func warmOpen(_ path: String, _ cache: FoldCache) throws -> (ledger: Ledger, kind: Ledger.OpenKind) {
        let opened = try Ledger.openReporting(at: path, cache: cache)
        opened.ledger.saveSnapshotIfDue(to: cache)
        return opened
    }

    /// The snapshot's stamps as if taken ten seconds later: in a test every directory changed within the trust
    /// margin of its stamp, so none would be skipped otherwise.
    func ageStamps(_ fixture: LedgerFixture, _ cache: FoldCache) throws -> DirectoryStamps {
        let store = fixture.ledger.state.storeID
        let key = try #require(cache.existingKey())
        let bytes = try FileSystem.read(cache.snapshotPath(store: store), limit: 1 << 30)
        var fold = try #require(
            try FoldSnapshot.decode(
                bytes,
                key: key,
                store: store,
                genesis: fixture.ledger.state.genesis,
                files: EventFiles(directory: fixture.ledger.directory)
            )
        )
        var stamps = try #require(fold.stamps)
        stamps.takenAt += 10_000_000_000
        fold.stamps = stamps
        try cache.save(fold)
        return stamps
    }

    func directoryOf(_ id: EventID, _ fixture: LedgerFixture) -> String {
        "\(fixture.path)/events/\(id.description.prefix(2))"
    }

    @Test func unchangedDirectoriesAreSkippedAndChangedOnesListed() throws {
        let fixture = try LedgerFixture()
        try fixture.createVault("beta", threshold: 2, custodians: ["alice", "bob", "carol"])
        try fixture.deposit("one", into: "beta", entry: "a", kind: .password, by: "bob")
        let cache = cache(fixture)
        #expect(try warmOpen(fixture.path, cache).kind == .cold)
        let stamps = try ageStamps(fixture, cache)
        // Every directory is unchanged: nothing is listed.
        let listing = try fixture.ledger.directory.listEventIDs(reusing: stamps)
        #expect(listing.ids.isEmpty)
        #expect(listing.unchanged == Set(stamps.stamps.keys))
        let prefixes = Set(fixture.ledger.graph.canonicalOrder.map { $0.description.prefix(2) })
        #expect(listing.unchanged.count == prefixes.count)
        let warm = try warmOpen(fixture.path, cache)
        #expect(warm.kind == .warm(read: 0))
        expectSameLedger(warm.ledger, try fixture.reopen())

        // A new event: its directory changed (a new one, or an existing one), so it is listed, read and folded.
        _ = try ageStamps(fixture, cache)
        try fixture.deposit("two", into: "beta", entry: "b", kind: .password, by: "carol")
        let newest = try #require(fixture.ledger.state.vault(named: "beta")?.entries["b"]?.last?.deposit)
        let again = try fixture.ledger.directory.listEventIDs(reusing: try ageStamps(fixture, cache))
        #expect(!again.unchanged.contains(String(newest.description.prefix(2))))
        #expect(again.ids.contains(newest))
        let afterDeposit = try warmOpen(fixture.path, cache)
        #expect(afterDeposit.kind == .warm(read: 1))
        expectSameLedger(afterDeposit.ledger, try fixture.reopen())
    }

    /// Setting a directory's times back after adding a file does not hide the file: its change time moved.
    @Test func timesSetBackDoNotHideAnEvent() throws {
        let fixture = try LedgerFixture()
        let cache = cache(fixture)
        _ = try warmOpen(fixture.path, cache)
        let stamps = try ageStamps(fixture, cache)
        let before = try #require(
            try fixture.ledger.directory.listEventIDs(reusing: stamps).stamps.stamps.first?.value
        )
        try fixture.deposit("late", into: "acme", entry: "late", kind: .password)
        let newest = try #require(fixture.ledger.state.vault(named: "acme")?.entries["late"]?.last?.deposit)
        // Put back the directory's modification (and access) time as it was before the deposit.
        let directory = directoryOf(newest, fixture)
        var times = [
            timespec(tv_sec: Int(before.modified / 1_000_000_000), tv_nsec: Int(before.modified % 1_000_000_000)),
            timespec(tv_sec: Int(before.modified / 1_000_000_000), tv_nsec: Int(before.modified % 1_000_000_000)),
        ]
        #expect(utimensat(AT_FDCWD, directory, &times, 0) == 0)
        let warm = try warmOpen(fixture.path, cache)
        #expect(warm.kind == .warm(read: 1))
        #expect(warm.ledger.graph.contains(newest))
        expectSameLedger(warm.ledger, try fixture.reopen())
    }

    /// A covered event deleted from a directory whose stamps were trusted: that directory changed, the warm open
    /// falls back to a cold one, whose refusal (or fold) is the cold open's exactly.
    @Test func deletedCoveredEventIsNoticed() throws {
        let fixture = try LedgerFixture()
        try fixture.deposit("one", into: "acme", entry: "a", kind: .password)
        let cache = cache(fixture)
        _ = try warmOpen(fixture.path, cache)
        _ = try ageStamps(fixture, cache)
        let deposit = try #require(fixture.ledger.state.vault(named: "acme")?.entries["a"]?.last?.deposit)
        try fixture.ledger.directory.remove([try #require(fixture.ledger.graph.event(deposit))])
        let warm = try warmOpen(fixture.path, cache)
        #expect(warm.kind == .cold)
        #expect(!warm.ledger.graph.contains(deposit))
        expectSameLedger(warm.ledger, try fixture.reopen())
    }

    /// A directory replaced by a copy holding one more event (a new inode): listed.
    @Test func replacedDirectoryIsListed() throws {
        let fixture = try LedgerFixture()
        let cache = cache(fixture)
        _ = try warmOpen(fixture.path, cache)
        let stamps = try ageStamps(fixture, cache)
        let prefix = try #require(stamps.stamps.keys.sorted().first)
        let path = "\(fixture.path)/events/\(prefix)"
        #expect(rename(path, path + ".old") == 0)
        #expect(mkdir(path, 0o755) == 0)
        #expect(rmdir(path) == 0)
        #expect(rename(path + ".old", path) == 0)
        let listing = try fixture.ledger.directory.listEventIDs(reusing: stamps)
        #expect(!listing.unchanged.contains(prefix))
        #expect(try warmOpen(fixture.path, cache).kind == .warm(read: 0))
    }
}
