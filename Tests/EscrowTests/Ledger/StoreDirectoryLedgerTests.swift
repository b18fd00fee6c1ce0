import Testing

@testable import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("StoreDirectoryLedgerTests")
struct StoreDirectoryLedgerTests {
    struct Setup {
        let directory: TemporaryDirectory
        let store: StoreDirectory
        let genesis: Event
        let events: [Event]
        var root: String { store.path }
    }

    static func setup() throws -> Setup {
        let directory = try TemporaryDirectory()
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let bob = try ledgerIdentity("bob", seedByte: 2)
        let genesis = try ledgerGenesis(alice)
        let store = try StoreDirectory.create(at: directory.file("store"), genesis: genesis)
        let a1 = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, tag: 1)
        let b1 = try ledgerEvent(bob, parents: [genesis.id], previous: nil, tag: 2)
        let merge = try ledgerEvent(alice, parents: [a1.id, b1.id], previous: a1.id, tag: 3)
        return Setup(directory: directory, store: store, genesis: genesis, events: [a1, b1, merge])
    }

    @Test func writeReadRoundTrip() throws {
        let setup = try Self.setup()
        let paths = try setup.store.write(setup.events)
        #expect(paths == setup.events.map(\.relativePath))
        #expect(try setup.store.write(setup.events[0]) == setup.events[0].relativePath)  // identical bytes: fine
        let reopened = try StoreDirectory.open(at: setup.root)
        #expect(reopened.marker == StoreMarker(store: ledgerStoreID, genesis: setup.genesis.id))
        let read = try reopened.readEvents()
        #expect(read == ([setup.genesis] + setup.events).sorted { $0.id < $1.id })
        let graph = try EventGraph(events: read, store: reopened.marker.store)
        #expect(graph.heads == [setup.events[2].id])
        // The bytes on disk are the event's bytes.
        #expect(try FileSystem.read("\(setup.root)/\(setup.events[1].relativePath)") == setup.events[1].bytes)
        #expect(
            try readText("\(setup.root)/escrow-store.json") == String(decoding: reopened.marker.encoded, as: UTF8.self)
        )
    }

    @Test func otherContentUnderAnEventsNameIsTampering() throws {
        let setup = try Self.setup()
        let event = setup.events[0]
        try setup.store.write(event)
        let path = "\(setup.root)/\(event.relativePath)"
        try DurableFile.write(setup.events[1].bytes, to: path)
        let error = expectEscrowError(.tampered) { try setup.store.write(event) }
        #expect(
            error?.message == "\(event.relativePath) already exists with other contents: the store was tampered with"
        )
        let readError = expectEscrowError(.tampered) { _ = try setup.store.readEvents() }
        #expect(
            readError?.message.hasPrefix("\(event.relativePath): the file's name is not the id of its contents") == true
        )
    }

    @Test func eventOfAnotherStoreNotWritten() throws {
        let setup = try Self.setup()
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let foreign = try ledgerGenesis(alice, store: [UInt8](repeating: 0x77, count: 16))
        let error = expectEscrowError(.invalidInput) { try setup.store.write(foreign) }
        #expect(error?.message.contains("belongs to store 77777777777777777777777777777777") == true)
        #expect(!ledgerFileExists("\(setup.root)/\(foreign.relativePath)"))
    }

    @Test func fileInTheWrongDirectoryRefused() throws {
        let setup = try Self.setup()
        let event = setup.events[0]
        let prefix = event.id.description.prefix(2)
        let wrong = prefix == "00" ? "01" : "00"
        try FileSystem.makeDirectory("\(setup.root)/events/\(wrong)")
        try DurableFile.write(event.bytes, to: "\(setup.root)/events/\(wrong)/\(event.id).json")
        let error = expectEscrowError(.malformedFile) { _ = try setup.store.readEvents() }
        #expect(error?.message.hasPrefix("events/\(wrong)/\(event.id).json does not belong in a store") == true)
    }

    @Test func createRefusesANonEmptyDirectory() throws {
        let setup = try Self.setup()
        let error = expectEscrowError(.alreadyExists) {
            _ = try StoreDirectory.create(at: setup.root, genesis: setup.genesis)
        }
        #expect(error?.message == "\(setup.root) is not empty: a new store needs an empty directory")
        expectEscrowError(.invalidInput) {
            _ = try StoreDirectory.create(at: setup.directory.file("new"), genesis: setup.events[0])
        }
    }

    @Test func symlinkedEventFileRefused() throws {
        let setup = try Self.setup()
        let event = setup.events[0]
        // A valid event file outside the store, linked in under its own name.
        let outside = setup.directory.file("outside.json")
        try DurableFile.write(event.bytes, to: outside)
        try FileSystem.makeDirectory("\(setup.root)/events/\(event.id.description.prefix(2))")
        ledgerSymlink(outside, at: "\(setup.root)/\(event.relativePath)")
        let error = expectEscrowError(.tampered) { _ = try setup.store.readEvents() }
        #expect(error?.message == "\(event.relativePath) is a symbolic link: refusing to follow it")
        // Writing through the link is refused too, and the outside file is untouched.
        let writeError = expectEscrowError(.tampered) { try setup.store.write(event) }
        #expect(writeError?.message == "\(event.relativePath) is a symbolic link: refusing to follow it")
        #expect(try FileSystem.read(outside) == event.bytes)
    }

    @Test func symlinkedEventsDirectoryRefused() throws {
        let setup = try Self.setup()
        let outside = setup.directory.file("outside-events")
        #expect(rename("\(setup.root)/events", outside) == 0)
        ledgerSymlink(outside, at: "\(setup.root)/events")
        let before = try snapshot(outside)
        let error = expectEscrowError(.tampered) { _ = try setup.store.readEvents() }
        #expect(error?.message == "events is a symbolic link: refusing to follow it")
        let writeError = expectEscrowError(.tampered) { try setup.store.write(setup.events) }
        #expect(writeError?.message == "events is a symbolic link: refusing to follow it")
        #expect(try snapshot(outside) == before)
    }

    @Test func symlinkedPrefixDirectoryRefused() throws {
        let setup = try Self.setup()
        let event = setup.events[0]
        let prefix = String(event.id.description.prefix(2))
        let outside = setup.directory.file("outside-prefix")
        try FileSystem.makeDirectory(outside)
        if FileSystem.exists("\(setup.root)/events/\(prefix)") {
            #expect(rmdir("\(setup.root)/events/\(prefix)") == 0)  // only the genesis could be there: not this prefix
        }
        ledgerSymlink(outside, at: "\(setup.root)/events/\(prefix)")
        let writeError = expectEscrowError(.tampered) { try setup.store.write(event) }
        #expect(writeError?.message == "events/\(prefix) is a symbolic link: refusing to follow it")
        #expect(try FileSystem.list(outside).isEmpty)
        let error = expectEscrowError(.tampered) { _ = try setup.store.readEvents() }
        #expect(error?.message == "events/\(prefix) is a symbolic link: refusing to follow it")
    }

    @Test func symlinkedStoreRootRefused() throws {
        let setup = try Self.setup()
        let link = setup.directory.file("link")
        ledgerSymlink(setup.root, at: link)
        let error = expectEscrowError(.tampered) { _ = try StoreDirectory.open(at: link) }
        #expect(error?.message == "\(link) is a symbolic link: refusing to follow it")
        let createError = expectEscrowError(.tampered) {
            _ = try StoreDirectory.create(at: link, genesis: setup.genesis)
        }
        #expect(createError?.message == "\(link) is a symbolic link: refusing to follow it")
    }

    @Test func fifoRefused() throws {
        let setup = try Self.setup()
        let event = setup.events[0]
        try FileSystem.makeDirectory("\(setup.root)/events/\(event.id.description.prefix(2))")
        #expect(mkfifo("\(setup.root)/\(event.relativePath)", 0o644) == 0)
        let error = expectEscrowError(.tampered) { _ = try setup.store.readEvents() }
        #expect(
            error?.message
                == "\(event.relativePath) is a FIFO: only regular files and directories belong in a store"
        )
        expectEscrowError(.tampered) { try setup.store.write(event) }
    }

    @Test func unexpectedNamesRefused() throws {
        let setup = try Self.setup()
        try writeFile("\(setup.root)/events/notes.txt", "hello")
        let error = expectEscrowError(.malformedFile) { _ = try setup.store.readEvents() }
        #expect(error?.message == "events/notes.txt is not a directory")
        try FileSystem.remove("\(setup.root)/events/notes.txt")
        let prefix = String(setup.genesis.id.description.prefix(2))
        try writeFile("\(setup.root)/events/\(prefix)/stray.json", "{}")
        let strayError = expectEscrowError(.malformedFile) { _ = try setup.store.readEvents() }
        #expect(
            strayError?.message
                == "events/\(prefix)/stray.json does not belong in a store (event files are named <event id>.json)"
        )
        try FileSystem.remove("\(setup.root)/events/\(prefix)/stray.json")
        // Other top-level names are not the store's business.
        try FileSystem.makeDirectory("\(setup.root)/.git")
        try writeFile("\(setup.root)/README", "notes")
        #expect(try setup.store.readEvents().count == 1)
    }

    @Test func nonUTF8NameRefused() throws {
        let setup = try Self.setup()
        let prefix = String(setup.genesis.id.description.prefix(2))
        let path = Array("\(setup.root)/events/\(prefix)/".utf8CString.dropLast()) + [CChar(bitPattern: 0xFF), 0]
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        #expect(fd >= 0)
        close(fd)
        let error = expectEscrowError(.malformedFile) { _ = try setup.store.readEvents() }
        #expect(error?.message == "events/\(prefix) holds an entry whose name is not UTF-8 ('?'): remove it")
    }

    @Test func oversizedFileRefusedWithoutReadingIt() throws {
        let setup = try Self.setup()
        let event = setup.events[0]
        try setup.store.write(event)
        let path = "\(setup.root)/\(event.relativePath)"
        #expect(truncate(path, off_t(Event.maximumByteCount + 1)) == 0)  // sparse: nothing to read anyway
        let error = expectEscrowError(.malformedFile) { _ = try setup.store.readEvents() }
        #expect(error?.message == "\(event.relativePath) is larger than \(Event.maximumByteCount) bytes")
    }

    @Test func v1StoreRefused() throws {
        let directory = try TemporaryDirectory()
        let v1 = directory.file("v1")
        try FileSystem.makeDirectory(v1)
        try writeFile(
            "\(v1)/store.json",
            #"{"created_at":"2025-01-01T00:00:00Z","format":"escrow-store","#
                + #""id":"000102030405060708090a0b0c0d0e0f","version":1}"#
        )
        let expected =
            "\(v1) is an escrow v1 store; this escrow reads v2 stores only "
            + "(no migration: create a new store with 'escrow init')"
        let error = expectEscrowError(.unsupportedVersion) { _ = try StoreDirectory.open(at: v1) }
        #expect(error?.message == expected)
        // A marker claiming version 1 too.
        let marked = directory.file("marked")
        try FileSystem.makeDirectory(marked)
        try writeFile("\(marked)/escrow-store.json", #"{"format":"escrow-store","version":1}"#)
        let markerError = expectEscrowError(.unsupportedVersion) { _ = try StoreDirectory.open(at: marked) }
        #expect(
            markerError?.message
                == "\(marked) is an escrow v1 store; this escrow reads v2 stores only "
                + "(no migration: create a new store with 'escrow init')"
        )
        // A directory that is no store at all.
        let empty = directory.file("empty")
        try FileSystem.makeDirectory(empty)
        let emptyError = expectEscrowError(.notFound) { _ = try StoreDirectory.open(at: empty) }
        #expect(emptyError?.message == "\(empty) is not an escrow store (it has no escrow-store.json)")
    }
}
