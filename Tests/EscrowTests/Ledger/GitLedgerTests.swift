import Testing

@testable import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("GitLedgerTests")
struct GitLedgerTests {
    struct Clones {
        let directory: TemporaryDirectory
        let a: GitRepository
        let b: GitRepository
        let genesis: Event
        let alice: CustodianIdentity
        let bob: CustodianIdentity
        var home: String { directory.path }
    }

    /// A bare remote; clone A creates the store and pushes its genesis; clone B is cloned afterwards.
    static func clones() throws -> Clones {
        let directory = try TemporaryDirectory()
        let home = directory.path
        try ledgerGit(["init", "--quiet", "--bare", "remote.git"], in: home, home: home)
        try ledgerGit(["clone", "--quiet", "remote.git", "a"], in: home, home: home)
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let bob = try ledgerIdentity("bob", seedByte: 2)
        let genesis = try ledgerGenesis(alice)
        let environment = ledgerGitEnvironment(home: home)
        let a = GitRepository(workTree: directory.file("a"), environment: environment)
        let store = try StoreDirectory.create(at: a.workTree, genesis: genesis)
        #expect(try a.commit(paths: [StoreMarker.fileName, genesis.relativePath], message: "escrow init"))
        #expect(try a.fetch() == false)
        try a.push()
        _ = store
        try ledgerGit(["clone", "--quiet", "remote.git", "b"], in: home, home: home)
        let b = GitRepository(workTree: directory.file("b"), environment: environment)
        return Clones(directory: directory, a: a, b: b, genesis: genesis, alice: alice, bob: bob)
    }

    @Test func isWorkTree() throws {
        let clones = try Self.clones()
        #expect(GitRepository.isWorkTree(clones.a.workTree))
        let plain = try TemporaryDirectory()
        #expect(!GitRepository.isWorkTree(plain.path))
    }

    @Test func twoClonesSyncWithoutConflict() throws {
        let clones = try Self.clones()
        let storeA = try StoreDirectory.open(at: clones.a.workTree)
        let storeB = try StoreDirectory.open(at: clones.b.workTree)
        let fromA = try ledgerEvent(clones.alice, parents: [clones.genesis.id], previous: clones.genesis.id, tag: 1)
        let fromB = try ledgerEvent(clones.bob, parents: [clones.genesis.id], previous: nil, tag: 2)
        let pathA = try storeA.write(fromA)
        let pathB = try storeB.write(fromB)
        #expect(try clones.a.commit(paths: [pathA], message: "alice: roster"))
        #expect(try clones.a.commit(paths: [pathA], message: "again") == false)  // nothing changed
        #expect(try clones.b.commit(paths: [pathB], message: "bob: roster"))
        try clones.a.push()

        // B: fetch, check exactly what would be merged, merge, push.
        #expect(try clones.b.fetch())
        let incomingB = try #require(try clones.b.upstreamCommit())
        let changesB = try clones.b.incomingChanges(from: incomingB)
        #expect(changesB == [IncomingChange(status: .added, oldMode: .absent, newMode: .regular, path: pathA)])
        #expect(changesB.allSatisfy { $0.isAddedRegularFile })
        let bytes = try clones.b.readIncoming(path: pathA, from: incomingB)
        #expect(try Event.decode(bytes, expectedID: fromA.id, source: pathA) == fromA)
        try clones.b.merge(incomingB)
        try clones.b.push()

        // A: the same.
        #expect(try clones.a.fetch())
        let incomingA = try #require(try clones.a.upstreamCommit())
        #expect(
            try clones.a.incomingChanges(from: incomingA)
                == [IncomingChange(status: .added, oldMode: .absent, newMode: .regular, path: pathB)]
        )
        try clones.a.merge(incomingA)
        #expect(try clones.a.fetch() == false)

        let treeA = try ledgerGit(["rev-parse", "HEAD^{tree}"], in: clones.a.workTree, home: clones.home)
        let treeB = try ledgerGit(["rev-parse", "HEAD^{tree}"], in: clones.b.workTree, home: clones.home)
        #expect(treeA == treeB)
        let eventsA = try storeA.readEvents()
        #expect(eventsA == (try storeB.readEvents()))
        #expect(Set(eventsA.map(\.id)) == [clones.genesis.id, fromA.id, fromB.id])
        #expect(try EventGraph(events: eventsA).heads == [fromA.id, fromB.id].sorted())
    }

    @Test func cloneMadeBeforeTheGenesisSyncs() throws {
        let directory = try TemporaryDirectory()
        let home = directory.path
        try ledgerGit(["init", "--quiet", "--bare", "remote.git"], in: home, home: home)
        try ledgerGit(["clone", "--quiet", "remote.git", "a"], in: home, home: home)
        try ledgerGit(["clone", "--quiet", "remote.git", "b"], in: home, home: home)
        let environment = ledgerGitEnvironment(home: home)
        let a = GitRepository(workTree: directory.file("a"), environment: environment)
        let b = GitRepository(workTree: directory.file("b"), environment: environment)
        #expect(try b.fetch() == false)  // the remote has no branch yet
        #expect(try b.incomingChanges().isEmpty)
        let genesis = try ledgerGenesis(try ledgerIdentity("alice", seedByte: 1))
        _ = try StoreDirectory.create(at: a.workTree, genesis: genesis)
        try a.commit(paths: [StoreMarker.fileName, genesis.relativePath], message: "escrow init")
        try a.push()
        // B has no commit at all: everything in the remote is incoming.
        #expect(try b.fetch())
        let commit = try #require(try b.upstreamCommit())
        #expect(
            try b.incomingChanges(from: commit) == [
                IncomingChange(status: .added, oldMode: .absent, newMode: .regular, path: StoreMarker.fileName),
                IncomingChange(status: .added, oldMode: .absent, newMode: .regular, path: genesis.relativePath),
            ]
        )
        try b.merge(commit)
        #expect(try StoreDirectory.open(at: b.workTree).readEvents() == [genesis])
    }

    @Test func pushRejectedWhenTheRemoteMovedOn() throws {
        let clones = try Self.clones()
        let storeA = try StoreDirectory.open(at: clones.a.workTree)
        let storeB = try StoreDirectory.open(at: clones.b.workTree)
        let fromA = try ledgerEvent(clones.alice, parents: [clones.genesis.id], previous: clones.genesis.id, tag: 1)
        let fromB = try ledgerEvent(clones.bob, parents: [clones.genesis.id], previous: nil, tag: 2)
        try clones.a.commit(paths: [try storeA.write(fromA)], message: "a")
        try clones.b.commit(paths: [try storeB.write(fromB)], message: "b")
        try clones.a.push()
        let error = expectEscrowError(.conflict) { try clones.b.push() }
        #expect(error?.message.hasPrefix("git push failed in \(clones.b.workTree): ") == true)
    }

    @Test func commitRefusesForeignStagedChanges() throws {
        let clones = try Self.clones()
        try writeFile("\(clones.a.workTree)/notes.txt", "private")
        try ledgerGit(["add", "notes.txt"], in: clones.a.workTree, home: clones.home)
        let store = try StoreDirectory.open(at: clones.a.workTree)
        let event = try ledgerEvent(clones.alice, parents: [clones.genesis.id], previous: clones.genesis.id, tag: 1)
        let path = try store.write(event)
        let error = expectEscrowError(.conflict) { try clones.a.commit(paths: [path], message: "event") }
        #expect(
            error?.message
                == "other changes are staged in \(clones.a.workTree) (notes.txt): commit or unstage them first"
        )
    }

    @Test func incomingChangesReportModificationsAndSymlinks() throws {
        let clones = try Self.clones()
        // B edits the genesis file and adds a symbolic link under events/, with plain git.
        let genesisPath = "\(clones.b.workTree)/\(clones.genesis.relativePath)"
        try DurableFile.write(clones.genesis.bytes + Array(" ".utf8), to: genesisPath)
        let linkPath = "events/00/\(String(repeating: "0", count: 64)).json"
        try FileSystem.makeDirectory("\(clones.b.workTree)/events/00")
        ledgerSymlink("/etc/passwd", at: "\(clones.b.workTree)/\(linkPath)")
        try ledgerGit(["add", "-A"], in: clones.b.workTree, home: clones.home)
        try ledgerGit(["commit", "--quiet", "-m", "evil"], in: clones.b.workTree, home: clones.home)
        try ledgerGit(["push", "--quiet"], in: clones.b.workTree, home: clones.home)

        #expect(try clones.a.fetch())
        let changes = try clones.a.incomingChanges()
        #expect(
            Set(changes) == [
                IncomingChange(
                    status: .modified,
                    oldMode: .regular,
                    newMode: .regular,
                    path: clones.genesis.relativePath
                ),
                IncomingChange(status: .added, oldMode: .absent, newMode: .symbolicLink, path: linkPath),
            ]
        )
        #expect(changes.allSatisfy { !$0.isAddedRegularFile })
        let link = try #require(changes.first { $0.path == linkPath })
        #expect(link.description == "\(linkPath): added symbolic link")
    }

    @Test func noRemoteIsExplained() throws {
        let directory = try TemporaryDirectory()
        try ledgerGit(["init", "--quiet", "lonely"], in: directory.path, home: directory.path)
        let repository = GitRepository(
            workTree: directory.file("lonely"),
            environment: ledgerGitEnvironment(home: directory.path)
        )
        let error = expectEscrowError(.notFound) { _ = try repository.fetch() }
        #expect(
            error?.message
                == "\(directory.file("lonely")) has no git remote to sync with: "
                + "add one with 'git remote add origin <url>'"
        )
        expectEscrowError(.notFound) { try repository.push() }
    }

    @Test func failuresNameTheCommandAndGitsLine() throws {
        let directory = try TemporaryDirectory()
        let repository = GitRepository(
            workTree: directory.file("missing"),
            environment: ledgerGitEnvironment(home: directory.path)
        )
        let error = expectEscrowError(.ioFailure) { _ = try repository.commit(paths: ["x"], message: "m") }
        #expect(
            error?.message.hasPrefix("git diff failed in \(directory.file("missing")): fatal: cannot change to") == true
        )
    }
}
