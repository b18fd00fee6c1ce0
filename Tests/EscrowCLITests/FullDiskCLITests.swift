import Escrow
import Foundation
import Testing

/// A full disk (a small tmpfs, filled up) during the writes of a command: one error line, exit ≠ 0, the store's
/// event files unchanged and the store still opens; after space is freed the command works. Skipped (with a
/// message) where tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN).
@Suite(.serialized) struct FullDiskCLITests {
    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Relative path → bytes of every file under `events`.
    static func snapshot(_ store: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = store + "/events"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
        for case let name as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
            }
        }
        return files
    }

    @Test func eventAndGitWritesOnAFullDisk() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(custodians: ["bob", "carol", "dave", "erin"], git: true)
        let mount = fixture.cli.path("small")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=2m tmpfs '\(mount)'") == 0 else {
            print("FullDiskCLITests skipped: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
            return
        }
        defer { _ = Self.shell("umount '\(mount)'") }
        let store = mount + "/store"
        #expect(Self.shell("cp -a '\(fixture.store)' '\(store)'") == 0)
        // Fill the file system to the last byte.
        _ = Self.shell("dd if=/dev/zero of='\(mount)/filler' bs=4k 2>/dev/null; sync")
        let before = try Self.snapshot(store)
        let commits = try fixture.git(["-C", store, "rev-list", "--count", "HEAD"])
        let create =
            ["vault", "init", "acme", "-t", "2", "--custodians", "alice,bob,carol"]
            + fixture.acting("alice", store: store)
        let result = try fixture.run(create)
        print("full disk: \(result.stderr)")
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning: ") }
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(result.stderr)")
        #expect(try Self.snapshot(store).filter { !$0.key.contains("/.") } == before, "event files changed")
        #expect(try Ledger.open(at: store).state.vault(named: "acme") == nil)
        #expect(try fixture.git(["-C", store, "rev-list", "--count", "HEAD"]) == commits)
        try FileManager.default.removeItem(atPath: mount + "/filler")
        try fixture.succeed(create)
        #expect(try Ledger.open(at: store).state.vault(named: "acme") != nil)
        #expect(try fixture.git(["-C", store, "status", "--porcelain"]).isEmpty)
    }

    /// Identity file and trust record on a full disk: one error line, no file (not even a partial one) left.
    @Test func identityAndTrustWritesOnAFullDisk() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStore()
        let mount = fixture.cli.path("small")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=1m tmpfs '\(mount)'") == 0 else {
            print("FullDiskCLITests skipped: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
            return
        }
        defer { _ = Self.shell("umount '\(mount)'") }
        try FileManager.default.createDirectory(atPath: mount + "/state", withIntermediateDirectories: true)
        _ = Self.shell("dd if=/dev/zero of='\(mount)/filler' bs=1k 2>/dev/null; sync")
        let identity = try fixture.run([
            "custodian", "new", "zed", "--email", "zed@example.com", "--identity", mount + "/zed.id",
            "--passphrase-file", fixture.cli.path("frank.pass"), "--kdf", "minimal",
        ])
        #expect(identity.status != 0)
        #expect(identity.stderr.hasPrefix("error: ") && identity.stderr.contains("No space left"), "\(identity.stderr)")
        let genesis = try Ledger.open(at: fixture.store).state.genesis.fingerprint
        let trust = try fixture.run(
            ["store", "trust", "--store", fixture.store, "--fingerprint", genesis],
            extra: ["ESCROW_STATE_DIR": mount + "/state"]
        )
        #expect(trust.status != 0)
        #expect(trust.stderr.hasPrefix("error: ") && trust.stderr.contains("No space left"), "\(trust.stderr)")
        let left = try FileManager.default.subpathsOfDirectory(atPath: mount).filter { $0 != "filler" && $0 != "state" }
        #expect(left.allSatisfy { !$0.hasSuffix(".json") && !$0.hasSuffix(".id") }, "\(left)")
        print("full disk: \(identity.stderr)\(trust.stderr)leftovers: \(left)")
    }
}
