import Sodium
import Testing

@testable import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files interrupted event writes leave in `events/<xx>/` (`.<id>.json.tmp-<12 hex>`): never read,
/// removed by a listing once stale (more than ten minutes old, not locked by a writer), and nothing else is.
@Suite("Interrupted event writes are cleaned up", .serialized)
struct InterruptedWriteTests {
    static let stale = 660

    /// Writes `bytes` to `path` and sets its times `seconds` ago (not following a symbolic link).
    func plant(_ path: String, _ bytes: [UInt8] = [0x7B], agedBy seconds: Int?) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        try #require(fd >= 0, "cannot create \(path)")
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if let seconds { setTimes(path, agedBy: seconds) }
    }

    func setTimes(_ path: String, agedBy seconds: Int) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var times = [
            timespec(tv_sec: now.tv_sec - seconds, tv_nsec: 0), timespec(tv_sec: now.tv_sec - seconds, tv_nsec: 0),
        ]
        #expect(utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0)
    }

    /// The entries of `directory`, sorted.
    func names(_ directory: String) throws -> [String] { try FileSystem.list(directory) }

    @Test func aColdOpenRemovesStaleTemporariesOnly() throws {
        let fixture = try LedgerFixture()
        try fixture.deposit("one", into: "acme", entry: "a", kind: .password)
        let events = try fixture.ledger.directory.listEventIDs()
        let id = try #require(events.last)
        let directory = "\(fixture.path)/events/\(id.description.prefix(2))"
        let before = try names(directory)
        let other = String(repeating: "e", count: 64)
        let removed = [".\(id).json.tmp-0123456789ab", ".\(other).json.tmp-ffffffffffff"]
        for name in removed { try plant("\(directory)/\(name)", agedBy: Self.stale) }
        // Kept: a fresh one (a write may be in progress), look-alikes the listing ignores but that are not the
        // writer's exact name (a 10-digit and an empty suffix).
        let kept = [".\(other).json.tmp-aaaaaaaaaaaa", ".\(other).json.tmp-0123456789", ".\(other).json.tmp-"]
        try plant("\(directory)/\(kept[0])", agedBy: nil)
        for name in kept.dropFirst() { try plant("\(directory)/\(name)", agedBy: Self.stale) }

        let cold = try Ledger.open(at: fixture.path)
        #expect(try names(directory) == (before + kept).sorted())
        #expect(cold.graph.count == events.count)
        expectSameLedger(cold, try fixture.reopen())
        #expect(try fixture.ledger.directory.listEventIDs() == events)
    }

    @Test func aSymbolicLinkOrDirectoryNamedLikeATemporaryIsRefusedAndKept() throws {
        let fixture = try LedgerFixture()
        let id = try #require(try fixture.ledger.directory.listEventIDs().first)
        let directory = "\(fixture.path)/events/\(id.description.prefix(2))"
        let target = fixture.directory.file("precious")
        try plant(target, [1, 2, 3], agedBy: Self.stale)
        let link = "\(directory)/.\(id).json.tmp-0123456789ab"
        #expect(symlink(target, link) == 0)
        setTimes(link, agedBy: Self.stale)
        let refused = #expect(throws: EscrowError.self) { _ = try Ledger.open(at: fixture.path) }
        #expect(refused?.code == .tampered)
        #expect(refused?.message.contains("is a symbolic link") == true, "\(String(describing: refused))")
        #expect(FileSystem.exists(link))
        #expect(try FileSystem.read(target) == [1, 2, 3])
        #expect(unlink(link) == 0)

        let folder = "\(directory)/.\(id).json.tmp-0123456789ab"
        #expect(mkdir(folder, 0o755) == 0)
        setTimes(folder, agedBy: Self.stale)
        let alsoRefused = #expect(throws: EscrowError.self) { _ = try fixture.ledger.directory.listEventIDs() }
        #expect(alsoRefused?.code == .malformedFile)
        #expect(FileSystem.isDirectory(folder))
    }

    /// A warm open lists the directory the leftover's creation changed, removes it there, and the next warm open
    /// (which lists that directory again: the removal changed it) still equals a cold open.
    @Test func warmOpenAfterCleanupEqualsColdOpen() throws {
        let fixture = try LedgerFixture()
        try fixture.deposit("one", into: "acme", entry: "a", kind: .password)
        let cache = FoldCache(directory: fixture.directory.file("state"))
        let first = try Ledger.openReporting(at: fixture.path, cache: cache)
        #expect(first.kind == .cold)
        first.ledger.saveSnapshotIfDue(to: cache)
        let id = try #require(fixture.ledger.graph.canonicalOrder.last)
        let directory = "\(fixture.path)/events/\(id.description.prefix(2))"
        let before = try names(directory)
        try plant("\(directory)/.\(id).json.tmp-0123456789ab", agedBy: Self.stale)

        let warm = try Ledger.openReporting(at: fixture.path, cache: cache)
        #expect(warm.kind == .warm(read: 0))
        #expect(try names(directory) == before)
        expectSameLedger(warm.ledger, try Ledger.open(at: fixture.path))
        warm.ledger.saveSnapshotIfDue(to: cache)
        let again = try Ledger.openReporting(at: fixture.path, cache: cache)
        #expect(again.kind == .warm(read: 0))
        expectSameLedger(again.ledger, try Ledger.open(at: fixture.path))

        // Events appended afterwards are read as usual.
        try fixture.deposit("two", into: "acme", entry: "b", kind: .password)
        let after = try Ledger.openReporting(at: fixture.path, cache: cache)
        #expect(after.kind == .warm(read: 1))
        expectSameLedger(after.ledger, try Ledger.open(at: fixture.path))
    }
}
