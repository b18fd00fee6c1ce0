import Testing

@testable import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("TrustLedgerTests")
struct TrustLedgerTests {
    @Test func saveLoadRoundTripWithPrivateModes() throws {
        let directory = try TemporaryDirectory()
        let trustDirectory = directory.file("state/trust")
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        let graph = try EventGraph(events: [genesis])
        #expect(try TrustFile.load(directory: trustDirectory, store: ledgerStoreID) == nil)
        let state = TrustState(pinning: graph)
        try TrustFile.save(state, directory: trustDirectory)
        #expect(try TrustFile.load(directory: trustDirectory, store: ledgerStoreID) == state)
        var info = stat()
        #expect(lstat(trustDirectory, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(lstat("\(trustDirectory)/\(TrustFile.fileName(for: ledgerStoreID))", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        // Another store's id finds nothing; a record renamed to another store's name is refused.
        let other = [UInt8](repeating: 0xAB, count: 16)
        #expect(try TrustFile.load(directory: trustDirectory, store: other) == nil)
        #expect(
            rename(
                "\(trustDirectory)/\(TrustFile.fileName(for: ledgerStoreID))",
                "\(trustDirectory)/\(TrustFile.fileName(for: other))"
            ) == 0
        )
        expectEscrowError(.tampered) { _ = try TrustFile.load(directory: trustDirectory, store: other) }
    }

    @Test func symbolicLinksRefused() throws {
        let directory = try TemporaryDirectory()
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let state = TrustState(pinning: try EventGraph(events: [try ledgerGenesis(alice)]))
        // The trust directory itself is a link.
        let real = directory.file("real")
        try FileSystem.makeDirectory(real)
        let linked = directory.file("linked")
        ledgerSymlink(real, at: linked)
        let error = expectEscrowError(.tampered) { try TrustFile.save(state, directory: linked) }
        #expect(error?.message == "\(linked) is a symbolic link: refusing to follow it")
        #expect(try FileSystem.list(real).isEmpty)
        // The record is a link to a file elsewhere.
        let trust = directory.file("trust")
        try TrustFile.save(state, directory: trust)
        let record = "\(trust)/\(TrustFile.fileName(for: ledgerStoreID))"
        #expect(rename(record, directory.file("elsewhere.json")) == 0)
        ledgerSymlink(directory.file("elsewhere.json"), at: record)
        let loadError = expectEscrowError(.tampered) { _ = try TrustFile.load(directory: trust, store: ledgerStoreID) }
        #expect(loadError?.message == "\(record) is a symbolic link: refusing to follow it")
        expectEscrowError(.tampered) { try TrustFile.save(state, directory: trust) }
    }

    @Test func pinnedGenesisMismatchRefused() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let real = try EventGraph(events: [try ledgerGenesis(alice, name: "real")])
        let impostor = try EventGraph(events: [try ledgerGenesis(alice, name: "impostor")])
        let state = TrustState(pinning: real)
        try state.check(real)
        let error = expectEscrowError(.tampered) { try state.check(impostor) }
        let message = try #require(error?.message)
        #expect(message.contains(impostor.genesis.id.fingerprint))
        #expect(message.contains(real.genesis.id.fingerprint))
        #expect(
            message.hasPrefix(
                "the store's genesis \(impostor.genesis.id.fingerprint) is not the one this machine pinned"
            )
        )
        #expect(real.genesis.id.fingerprint.count == 24)
    }

    @Test func rolledBackStoreRefused() throws {
        let directory = try TemporaryDirectory()
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        let store = try StoreDirectory.create(at: directory.file("store"), genesis: genesis)
        let a1 = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, tag: 1)
        let a2 = try ledgerEvent(alice, parents: [a1.id], previous: a1.id, tag: 2)
        try store.write([a1, a2])
        let graph = try EventGraph(events: try store.readEvents())
        let state = TrustState(pinning: graph)
        #expect(state.seen == [a2.id])
        try state.check(graph)
        let trustDirectory = directory.file("trust")
        try TrustFile.save(state, directory: trustDirectory)

        // Cut the tail: delete the last event's file.
        try FileSystem.remove("\(store.path)/\(a2.relativePath)")
        let cut = try EventGraph(events: try StoreDirectory.open(at: store.path).readEvents())
        let loaded = try #require(try TrustFile.load(directory: trustDirectory, store: ledgerStoreID))
        let error = expectEscrowError(.tampered) { try loaded.check(cut) }
        #expect(
            error?.message
                == "the store lacks 1 event(s) this machine has seen: \(a2.id.short); it was rolled back or its tail "
                + "was cut — do not use it; fetch from a trusted clone or compare with your anchor"
        )
        // After a legitimate sync the mark moves forward.
        let a3 = try ledgerEvent(alice, parents: [a2.id], previous: a2.id, tag: 3)
        let grown = try graph.adding([a3])
        try state.check(grown)
        #expect(state.updated(with: grown).seen == [a3.id])
        #expect(state.updated(with: grown).genesis == genesis.id)
    }
}
