import Escrow
import Foundation
import Sodium
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

    /// Relative path → bytes of every file under `root`, leaving out paths for which `skip` is true.
    static func tree(_ root: String, skip: (String) -> Bool = { _ in false }) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
        for case let name as String in walker where !skip(name) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory) {
                files[name] =
                    isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
            }
        }
        return files
    }

    /// Mounts a tmpfs of `size` at `path`; `false` (and a message) where that is not allowed.
    static func mountSmall(_ path: String, size: String) throws -> Bool {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard shell("mount -t tmpfs -o size=\(size) tmpfs '\(path)'") == 0 else {
            print("FullDiskCLITests skipped: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
            return false
        }
        return true
    }

    /// Fills the file system of `directory` to the last byte (a file named `filler`).
    static func fill(_ directory: String) {
        _ = shell("dd if=/dev/zero of='\(directory)/filler' bs=1k 2>/dev/null; sync")
    }

    /// Expects a refusal: exit ≠ 0 and exactly one `error:` line (warnings aside) that says the disk is full.
    static func expectOneErrorLine(_ result: CLIHarness.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning: ") }
        #expect(
            lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains("No space left"),
            "\(result.stderr)",
            sourceLocation: sourceLocation
        )
    }

    /// Git's object database full while a command commits its event (the event file itself fits): one error line,
    /// the work tree, HEAD and the index as before (the event file written for the commit is taken back), the state
    /// directory unchanged; once space is back the same command works and leaves a clean work tree.
    @Test func gitObjectsOnAFullDisk() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(custodians: ["bob", "carol", "dave", "erin"], git: true)
        let objects = fixture.store + "/.git/objects"
        let saved = fixture.cli.path("objects-saved")
        #expect(Self.shell("cp -a '\(objects)' '\(saved)'") == 0)
        guard try Self.mountSmall(objects, size: "1m") else { return }
        defer { _ = Self.shell("umount '\(objects)'") }
        #expect(Self.shell("cp -a '\(saved)/.' '\(objects)/'") == 0)
        Self.fill(objects)
        let workTree = try Self.tree(fixture.store) { $0 == ".git" || $0.hasPrefix(".git/") }
        let state = try Self.tree(fixture.cli.path("state"))
        let head = try fixture.git(["rev-parse", "HEAD"])
        let create =
            ["vault", "init", "acme", "-t", "2", "--custodians", "alice,bob,carol"] + fixture.acting("alice")
        let result = try fixture.run(create)
        print("git objects full: \(result.stderr)")
        Self.expectOneErrorLine(result)
        #expect(try Self.tree(fixture.store) { $0 == ".git" || $0.hasPrefix(".git/") } == workTree, "work tree changed")
        #expect(try Self.tree(fixture.cli.path("state")) == state, "state directory changed")
        #expect(try fixture.git(["rev-parse", "HEAD"]) == head)
        #expect(try fixture.git(["status", "--porcelain", "--untracked-files=all"]).isEmpty)
        #expect(try Ledger.open(at: fixture.store).state.vault(named: "acme") == nil)
        try FileManager.default.removeItem(atPath: objects + "/filler")
        try fixture.succeed(create)
        #expect(try Ledger.open(at: fixture.store).state.vault(named: "acme") != nil)
        #expect(try fixture.git(["status", "--porcelain", "--untracked-files=all"]).isEmpty)
        #expect(try fixture.git(["rev-parse", "HEAD"]) != head)
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    /// `unlock request` with the state directory on a full disk: the request key cannot be kept, so nothing is
    /// requested (store and state directory unchanged); once space is back the request works and its key is kept.
    @Test func requestKeyOnAFullDisk() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let mount = fixture.cli.path("small")
        guard try Self.mountSmall(mount, size: "1m") else { return }
        defer { _ = Self.shell("umount '\(mount)'") }
        let state = mount + "/state"
        #expect(Self.shell("cp -a '\(fixture.cli.path("state"))' '\(state)'") == 0)
        Self.fill(mount)
        let events = try Self.snapshot(fixture.store)
        let stateBefore = try Self.tree(state)
        let request =
            ["unlock", "request", "acme", "--entry", "root-password", "--reason", "billing dispute"]
            + support.acting("alice")
        let result = try fixture.run(request, extra: ["ESCROW_STATE_DIR": state])
        print("state directory full (request key): \(result.stderr)")
        Self.expectOneErrorLine(result)
        #expect(try Self.snapshot(fixture.store) == events, "event files changed")
        #expect(try Self.tree(state) == stateBefore, "state directory changed")
        #expect(try Ledger.open(at: fixture.store).state.requests.isEmpty)
        try FileManager.default.removeItem(atPath: mount + "/filler")
        try fixture.succeed(request, extra: ["ESCROW_STATE_DIR": state])
        let requests = try Ledger.open(at: fixture.store).state.requests
        #expect(requests.count == 1)
        let id = try #require(requests.keys.first)
        #expect(FileManager.default.fileExists(atPath: state + "/requests/\(id).key"))
    }

    /// `unlock execute --bundle FILE` of an approved release with FILE on a full disk: no bundle (not even a
    /// partial one), no execution recorded, state directory unchanged; once space is back the execution works.
    @Test func releaseBundleOnAFullDisk() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let release = try support.request(.release)
        let short = release.id.short
        try support.approve(short, by: ["bob", "carol", "dave"])
        let mount = fixture.cli.path("small")
        guard try Self.mountSmall(mount, size: "1m") else { return }
        defer { _ = Self.shell("umount '\(mount)'") }
        Self.fill(mount)
        let events = try Self.snapshot(fixture.store)
        let state = try Self.tree(fixture.cli.path("state"))
        let bundle = mount + "/acme.bundle"
        let execute = ["unlock", "execute", short, "--bundle", bundle] + support.acting("erin")
        let result = try fixture.run(execute)
        print("bundle on a full disk: \(result.stderr)")
        Self.expectOneErrorLine(result)
        #expect(try Self.snapshot(fixture.store) == events, "event files changed")
        #expect(try Self.tree(fixture.cli.path("state")) == state, "state directory changed")
        let left = try Self.tree(mount).keys.sorted()
        #expect(left == ["filler"], "left on the full disk: \(left)")
        #expect(try Ledger.open(at: fixture.store).state.requests[release.id]?.execution == nil)
        try FileManager.default.removeItem(atPath: mount + "/filler")
        let done = try fixture.succeed(execute)
        #expect(done.stdoutText.contains("Customer bundle written to \(bundle)"))
        let opened = try CustomerBundle.decode(
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: bundle))),
            source: bundle
        )
        .open(with: support.customer)
        #expect(opened.count == 2)
    }

    /// `bundle open` with its output redirected to a file on a full disk (the customer saving the credentials):
    /// one `error:` line, exit ≠ 0 (never a silently truncated file and success); once space is back it works.
    @Test func bundleOpenOutputOnAFullDisk() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let sealed = try IdentityFile.seal(
            support.customer,
            passphrase: SecureBytes(copying: Array("correct horse battery staple customer".utf8)),
            limits: KeyDerivationProfile.minimal.limits,
            createdAt: support.now()
        )
        try Data(try sealed.encoded()).write(to: URL(fileURLWithPath: fixture.cli.path("customer.id")))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fixture.cli.path("customer.id"))
        // The password only (the stand-in's TOTP deposit lacks the metadata the CLI prints).
        let ledger = try support.reload()
        let release = try ledger.request(
            .release,
            targets: [try ledger.versionsTarget(vault: "acme", entries: ["root-password"])],
            recipient: RequestRecipient(name: "customer acme", key: try support.customer.boxKeyPair().publicKey),
            reason: "contract ended",
            expiresAt: UTCTime(secondsSinceEpoch: support.now().secondsSinceEpoch + 3600),
            by: support.person("alice"),
            at: support.now()
        )
        try ledger.append([release])
        try support.approve(release.id.short, by: ["bob", "carol", "dave"])
        let bundle = fixture.cli.path("acme.bundle")
        try fixture.succeed(["unlock", "execute", release.id.short, "--bundle", bundle] + support.acting("erin"))
        let mount = fixture.cli.path("small")
        guard try Self.mountSmall(mount, size: "1m") else { return }
        defer { _ = Self.shell("umount '\(mount)'") }
        Self.fill(mount)
        let output = mount + "/credentials.txt"
        let errors = fixture.cli.path("bundle-open.err")
        let command =
            "'\(fixture.cli.executable.path)' bundle open '\(bundle)' --identity '\(fixture.cli.path("customer.id"))' "
            + "--passphrase-file '\(fixture.cli.path("customer.pass"))' > '\(output)' 2> '\(errors)'"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = CLIHarness.environment(fixture.environment)
        try process.run()
        process.waitUntilExit()
        let stderr = try String(contentsOfFile: errors, encoding: .utf8)
        print("bundle open to a full disk: \(stderr)")
        #expect(process.terminationStatus != 0)
        let errorLines = stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errorLines.count == 1 && errorLines[0].contains("No space left"), "\(stderr)")
        try FileManager.default.removeItem(atPath: mount + "/filler")
        let retry = Process()
        retry.executableURL = URL(fileURLWithPath: "/bin/sh")
        retry.arguments = ["-c", command]
        retry.environment = CLIHarness.environment(fixture.environment)
        try retry.run()
        retry.waitUntilExit()
        let retryErrors = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(retry.terminationStatus == 0, "\(retryErrors)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains(UnlockCLISupport.password))
    }
}
