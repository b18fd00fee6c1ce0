import Dispatch

/// A v2 store on disk, read and written relative to one directory descriptor without ever following a symbolic link.
///
/// Layout:
///
/// ```
/// escrow-store.json                 the marker (StoreMarker): a hint, never trusted
/// events/<2 hex>/<64 hex>.json      one file per event (Event)
/// ```
///
/// Other top-level names (`.git`, a README) are ignored. Inside `events/` nothing is ignored: a name that is not an
/// event directory or an event file, a symbolic link, a FIFO, a device or a socket is refused, naming its path. The
/// one exception is the temporary file of an interrupted event write (`.<64 hex>.json.tmp-<hex>`), never read; a
/// listing that meets one removes it once it is stale (`Platform.StaleTemporary`: a regular file, more than ten
/// minutes old, not locked by its writer), so cleaning costs nothing beyond the listings the store makes anyway.
/// The root itself is opened with `O_NOFOLLOW`, so a store reached through a symbolic link as its last path component
/// is refused too.
public struct StoreDirectory: Sendable {
    /// The name of the events directory.
    public static let eventsDirectory = "events"
    /// The path the store was opened at.
    public let path: String
    /// The marker read when the store was opened (or written when it was created).
    public let marker: StoreMarker

    private let root: DirectoryHandle

    // MARK: Creating and opening

    /// Creates a store: writes the genesis event, then the marker.
    ///
    /// - Parameters:
    ///   - path: A directory that does not exist yet (its parent must) or an empty one (a `.git` in it is allowed, so
    ///     that a store can be created in a fresh clone).
    ///   - genesis: The store's genesis event.
    /// - Returns: The open store.
    /// - Throws: ``EscrowError/Code/alreadyExists`` for a non-empty directory, ``EscrowError/Code/invalidInput`` if
    ///   `genesis` is not a genesis event, or what opening and writing throw.
    public static func create(at path: String, genesis: Event) throws(EscrowError) -> StoreDirectory {
        guard genesis.isGenesis, genesis.parents.isEmpty, genesis.previous == nil else {
            throw EscrowError(.invalidInput, "cannot create a store at \(path): \(genesis) is not a genesis event")
        }
        let root: DirectoryHandle
        if let existing = try openIfPresent(path) {
            guard try existing.names().allSatisfy({ $0 == ".git" }) else {
                throw EscrowError(.alreadyExists, "\(path) is not empty: a new store needs an empty directory")
            }
            root = existing
        } else {
            try DirectoryHandle.makeDirectory(path: path, mode: 0o755, display: path)
            root = try DirectoryHandle.open(path: path, display: path)
        }
        let marker = StoreMarker(store: genesis.store, genesis: genesis.id)
        let store = StoreDirectory(path: path, marker: marker, root: root)
        try store.write([genesis])
        try root.writeFile(marker.encoded, to: StoreMarker.fileName, mode: 0o644)
        try root.sync()
        return store
    }

    private static func openIfPresent(_ path: String) throws(EscrowError) -> DirectoryHandle? {
        do {
            return try DirectoryHandle.open(path: path, display: path)
        } catch  where error.code == .notFound {
            return nil
        }
    }

    /// Opens an existing v2 store.
    ///
    /// - Parameter path: The store's directory.
    /// - Returns: The open store.
    /// - Throws: ``EscrowError/Code/unsupportedVersion`` for a v1 store (no migration),
    ///   ``EscrowError/Code/notFound`` if `path` does not exist or has no marker, ``EscrowError/Code/tampered`` if
    ///   `path` or the marker is a symbolic link or a special file, ``EscrowError/Code/malformedFile`` for a bad
    ///   marker.
    public static func open(at path: String) throws(EscrowError) -> StoreDirectory {
        let root = try DirectoryHandle.open(path: path, display: path)
        guard try root.kind(of: StoreMarker.fileName) != nil else {
            if try root.kind(of: "store.json") != nil,
                let bytes = try? root.readFile("store.json", limit: 1 << 20),
                let value = try? JSONParser.parse(bytes, source: "store.json"),
                value["format"]?.stringValue == StoreMarker.format, value["version"]?.intValue == 1
            {
                throw StoreMarker.v1Refusal(path)
            }
            throw EscrowError(.notFound, "\(path) is not an escrow store (it has no \(StoreMarker.fileName))")
        }
        let bytes = try root.readFile(StoreMarker.fileName, limit: 1 << 20)
        let marker = try StoreMarker.decode(bytes, source: "\(path)/\(StoreMarker.fileName)", storePath: path)
        return StoreDirectory(path: path, marker: marker, root: root)
    }

    // MARK: Reading

    /// Reads and decodes every event file.
    ///
    /// - Returns: The events, sorted by id.
    /// - Throws: ``EscrowError/Code/tampered`` (a symbolic link, a special file, a file whose name is not its id, a bad
    ///   signature), ``EscrowError/Code/malformedFile`` (an unexpected name, a file that is not a valid event or is
    ///   larger than ``Event/maximumByteCount``) or ``EscrowError/Code/ioFailure``, each naming the path.
    /// - Complexity: One open and one signature verification per event, on every core.
    public func readEvents() throws(EscrowError) -> [Event] {
        try readEvents(alongside: { _ in () }).map(\.event)
    }

    /// Reads and decodes every event file as ``readEvents()`` does, and calls `work` on each event in the same
    /// workers (a cold open decodes the bodies there, ahead of the serial fold).
    ///
    /// - Parameter work: What to compute per event, on any thread.
    /// - Returns: The events with what `work` returned, sorted by id.
    /// - Throws: What ``readEvents()`` throws.
    func readEvents<Extra: Sendable>(alongside work: @Sendable (Event) -> Extra) throws(EscrowError)
        -> [(event: Event, extra: Extra)]
    {
        let (files, refusal) = eventFiles()
        return try Self.decode(count: files.count, refusal: refusal, alongside: work) { index throws(EscrowError) in
            let file = files[index]
            let bytes = try file.directory.readListedFile(file.name, limit: Event.maximumByteCount)
            return EventFile(bytes: bytes, expected: file.expected, path: file.path)
        }
        .sorted { $0.event.id < $1.event.id }
    }

    /// The event files, their names checked, not yet read; and the refusal that ended the listing early, if any (it
    /// is reported after a failure to read a file listed before it, as when each file was read as it was listed).
    private func eventFiles() -> (files: [ListedFile], refusal: EscrowError?) {
        var files: [ListedFile] = []
        do throws(EscrowError) {
            for (prefix, prefixPath, directory) in try prefixDirectories() {
                for (name, type) in try directory.listing() {
                    let filePath = "\(prefixPath)/\(name)"
                    // The listing's type spares a `stat` per file; the open checks the file again.
                    if type != .regular {
                        guard let kind = try directory.kind(of: name) else { continue }
                        guard case .regular = kind else {
                            throw DirectoryHandle.refusal(kind, filePath, expected: "a file")
                        }
                    }
                    guard let expected = Self.eventID(named: name, in: prefix) else {
                        // A write interrupted by a crash leaves `.<id>.json.tmp-<random>`: not an event, never read,
                        // removed once stale (``removeIfStaleTemporary(_:)``).
                        if Self.isInterruptedWrite(name) {
                            directory.removeIfStaleTemporary(name)
                            continue
                        }
                        throw Self.misplaced(name, at: filePath)
                    }
                    files.append(ListedFile(directory: directory, name: name, expected: expected, path: filePath))
                }
            }
        } catch {
            return (files, error)
        }
        return (files, nil)
    }

    /// The id an event file named `name` in the directory `prefix` holds (`<64 lowercase hex digits>.json`, the
    /// first two digits `prefix`), or `nil` for any other name.
    private static func eventID(named name: String, in prefix: String) -> EventID? {
        var name = name
        return name.withUTF8 { bytes -> EventID? in
            guard bytes.count == 69, bytes[64] == UInt8(ascii: "."), bytes[65] == UInt8(ascii: "j"),
                bytes[66] == UInt8(ascii: "s"), bytes[67] == UInt8(ascii: "o"), bytes[68] == UInt8(ascii: "n"),
                bytes.starts(with: prefix.utf8)
            else { return nil }
            return EventID(hexDigits: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[0..<64])))
        }
    }

    /// The two-hex-digit directories under `events/` (each checked: a directory, correctly named), opened.
    private func prefixDirectories() throws(EscrowError) -> [(prefix: String, path: String, handle: DirectoryHandle)] {
        try prefixDirectories(opening: { _, _ in true }).opened
    }

    /// The two-hex-digit directories under `events/` (each checked: a directory, correctly named) with their stamps,
    /// those for which `open` says so opened.
    private func prefixDirectories(
        opening open: (String, DirectoryStamps.Stamp) -> Bool
    ) throws(EscrowError) -> (
        opened: [(prefix: String, path: String, handle: DirectoryHandle)], stamps: [String: DirectoryStamps.Stamp]
    ) {
        guard let eventsKind = try root.kind(of: Self.eventsDirectory) else { return ([], [:]) }
        guard eventsKind == .directory else {
            throw DirectoryHandle.refusal(eventsKind, Self.eventsDirectory, expected: "a directory")
        }
        let events = try openEvents(create: false).handle
        var directories: [(prefix: String, path: String, handle: DirectoryHandle)] = []
        var stamps: [String: DirectoryStamps.Stamp] = [:]
        for prefix in try events.names() {
            let prefixPath = "\(Self.eventsDirectory)/\(prefix)"
            guard let (kind, stamp) = try events.stamp(of: prefix) else { continue }
            guard kind == .directory else { throw DirectoryHandle.refusal(kind, prefixPath, expected: "a directory") }
            guard prefix.utf8.count == 2, Hex.decode(prefix) != nil else {
                throw EscrowError(
                    .malformedFile,
                    "\(prefixPath) does not belong in a store (event directories are named by two hex digits)"
                )
            }
            stamps[prefix] = stamp
            if open(prefix, stamp) {
                directories.append((prefix, prefixPath, try events.openDirectory(prefix, create: false).handle))
            }
        }
        return (directories, stamps)
    }

    /// The stamps of the directories under `events/`, taken before they are read (see ``DirectoryStamps``).
    func stamps() throws(EscrowError) -> DirectoryStamps {
        let takenAt = DirectoryStamps.now()
        return DirectoryStamps(takenAt: takenAt, stamps: try prefixDirectories(opening: { _, _ in false }).stamps)
    }

    /// The refusal of a regular file under `events/` that is not an event file of its directory.
    private static func misplaced(_ name: String, at filePath: String) -> EscrowError {
        EscrowError(
            .malformedFile,
            "\(filePath) does not belong in a store (event files are named <event id>.json"
                + (name.hasPrefix(".") ? "; a temporary file left by an interrupted write can be removed)" : ")")
        )
    }

    /// Reads the file of event `id` (never following a symbolic link), without checking its contents.
    ///
    /// - Parameter id: An event id.
    /// - Returns: The file's bytes.
    /// - Throws: ``EscrowError/Code/notFound`` if there is no such file, ``EscrowError/Code/tampered`` if it is not
    ///   a regular file, an I/O error.
    func readEventFile(_ id: EventID) throws(EscrowError) -> [UInt8] {
        let prefix = String(id.description.prefix(2))
        let events = try openEvents(create: false).handle
        let directory = try events.openDirectory(prefix, create: false).handle
        let name = "\(id).json"
        guard let kind = try directory.kind(of: name) else {
            throw EscrowError(
                .notFound,
                "\(Event.relativePath(of: id)) is missing: an event was deleted from the store"
            )
        }
        guard case .regular = kind else {
            throw DirectoryHandle.refusal(kind, Event.relativePath(of: id), expected: "a file")
        }
        return try directory.readFile(name, limit: Event.maximumByteCount)
    }

    /// The ids of every event file, without reading any (names are checked as ``readEvents()`` checks them).
    ///
    /// - Returns: The ids, sorted.
    /// - Throws: What ``readEvents()`` throws for a misnamed or misplaced entry.
    public func listEventIDs() throws(EscrowError) -> [EventID] {
        try listEventIDs(reusing: nil).ids
    }

    /// Lists the event files of the directories under `events/` that changed since `previous` was taken (every
    /// directory when `previous` is `nil`), as ``listEventIDs()`` does.
    ///
    /// - Parameter previous: The stamps taken before an earlier listing whose events are all known.
    /// - Returns: The ids listed (sorted), the directories not listed because they are unchanged, and the stamps of
    ///   every directory taken before this listing.
    /// - Throws: What ``listEventIDs()`` throws.
    func listEventIDs(
        reusing previous: DirectoryStamps?
    ) throws(EscrowError) -> (ids: [EventID], unchanged: Set<String>, stamps: DirectoryStamps) {
        let takenAt = DirectoryStamps.now()
        var unchanged = Set<String>()
        let (directories, stamps) = try prefixDirectories(opening: { prefix, stamp in
            guard let previous, previous.isUnchanged(prefix, current: stamp) else { return true }
            unchanged.insert(prefix)
            return false
        })
        var ids: [EventID] = []
        for (prefix, prefixPath, directory) in directories {
            let prefixBytes = Array(prefix.utf8)
            try directory.entries { (name, type) throws(EscrowError) in
                // The common case without a string or a stat: `<64 hex>.json`, a regular file, in its prefix.
                if name.count == 69, name[64] == UInt8(ascii: "."), name[65] == UInt8(ascii: "j"),
                    name[66] == UInt8(ascii: "s"), name[67] == UInt8(ascii: "o"), name[68] == UInt8(ascii: "n"),
                    name[0] == prefixBytes[0], name[1] == prefixBytes[1],
                    let id = EventID(hexDigits: UnsafeRawBufferPointer(rebasing: name[0..<64]))
                {
                    switch type {
                    case .regular:
                        ids.append(id)
                        return
                    case .unknown:
                        let text = String(decoding: name, as: UTF8.self)
                        if case .regular? = try directory.kind(of: text) {
                            ids.append(id)
                            return
                        }
                    case .directory, .other:
                        break
                    }
                }
                // Anything else gets the full check of ``readEvents()`` (and its message).
                let text = String(decoding: name, as: UTF8.self)
                guard text.utf8.elementsEqual(name) else {
                    throw EscrowError(.malformedFile, "\(prefixPath) holds an entry whose name is not UTF-8")
                }
                let filePath = "\(prefixPath)/\(text)"
                guard let kind = try directory.kind(of: text) else { return }
                guard case .regular = kind else { throw DirectoryHandle.refusal(kind, filePath, expected: "a file") }
                if Self.isInterruptedWrite(text) {
                    directory.removeIfStaleTemporary(text)
                    return
                }
                throw Self.misplaced(text, at: filePath)
            }
        }
        return (ids.sorted(), unchanged, DirectoryStamps(takenAt: takenAt, stamps: stamps))
    }

    /// Reads and verifies the event files `ids` (as ``readEvents()`` does).
    ///
    /// - Parameter ids: Ids of files present.
    /// - Returns: The events, sorted by id.
    /// - Throws: What ``readEvents()`` throws for those files.
    public func readEvents(_ ids: [EventID]) throws(EscrowError) -> [Event] {
        try Self.decode(count: ids.count, refusal: nil, alongside: { _ in () }) { index throws(EscrowError) in
            let id = ids[index]
            return EventFile(bytes: try readEventFile(id), expected: id, path: Event.relativePath(of: id))
        }
        .map(\.event).sorted { $0.id < $1.id }
    }

    /// What a worker made of one file.
    private enum Decoded<Extra: Sendable>: Sendable {
        case event(Event, Extra)
        case invalid(EscrowError)
    }

    /// Reads, decodes and verifies event files on every core (canonical check, BLAKE2b id, Ed25519 signature: the
    /// cost of opening a store), reporting failures in the order of reading the files one by one: the first file
    /// that cannot be read, then `refusal` (which ended the listing after the files given), then the first file that
    /// is not a valid event.
    private static func decode<Extra: Sendable>(
        count: Int,
        refusal: EscrowError?,
        alongside work: @Sendable (Event) -> Extra,
        read: @Sendable (Int) throws(EscrowError) -> EventFile
    ) throws(EscrowError) -> [(event: Event, extra: Extra)] {
        let results = ParallelResults<Decoded<Extra>>(count: count)
        let chunkCount = count < 256 ? 1 : 64
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount)
            for index in range {
                let file: EventFile
                do throws(EscrowError) {
                    file = try read(index)
                } catch {
                    results.set(index, .failure(error))
                    continue
                }
                do throws(EscrowError) {
                    let event = try Event.decode(file.bytes, expectedID: file.expected, source: file.path)
                    results.set(index, .success(.event(event, work(event))))
                } catch {
                    results.set(index, .success(.invalid(error)))
                }
            }
        }
        for index in 0..<count { _ = try results.get(index) }
        if let refusal { throw refusal }
        var events: [(event: Event, extra: Extra)] = []
        events.reserveCapacity(count)
        for index in 0..<count {
            switch try results.get(index) {
            case .event(let event, let extra): events.append((event, extra))
            case .invalid(let error): throw error
            }
        }
        return events
    }

    /// Whether `name` is the temporary file of an interrupted event write (`.<64 hex>.json.tmp-<12 hex>`).
    static func isInterruptedWrite(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1].utf8.count == 64, Hex.decode(String(parts[1])) != nil,
            parts[2] == "json", parts[3].hasPrefix("tmp-"), Hex.decode(String(parts[3].dropFirst(4))) != nil
        else { return false }
        return true
    }

    // MARK: Writing

    /// Writes one event file atomically and durably.
    ///
    /// - Parameter event: The event.
    /// - Returns: Its path relative to the store, e.g. `events/ab/ab….json`.
    /// - Throws: What the batch `write(_:)` throws.
    @discardableResult
    public func write(_ event: Event) throws(EscrowError) -> String {
        try write([event])[0]
    }

    /// Writes event files atomically and durably, flushing each touched directory once.
    ///
    /// Each file is written under a temporary name created with `O_CREAT | O_EXCL` in its target directory, flushed,
    /// and renamed into place; then the directories are flushed. A file that already exists with the same bytes is
    /// left alone.
    ///
    /// - Parameter events: The events.
    /// - Returns: Their paths relative to the store, in the same order.
    /// - Throws: ``EscrowError/Code/tampered`` if a file exists with other bytes or a path is a symbolic link or a
    ///   special file, ``EscrowError/Code/invalidInput`` for an event of another store,
    ///   ``EscrowError/Code/ioFailure`` naming the path.
    @discardableResult
    public func write(_ events: [Event]) throws(EscrowError) -> [String] {
        for event in events where event.store != marker.store {
            throw EscrowError(
                .invalidInput,
                "\(event) belongs to store \(Hex.encode(event.store)), not to the store at \(path)"
            )
        }
        guard !events.isEmpty else { return [] }
        let (eventsHandle, createdEvents) = try openEvents(create: true)
        // Written in the order given (each event on top of the previous): a process killed halfway leaves a prefix
        // of the batch whose parents are all present, so the store still opens (the next append commits it).
        var directories: [String: DirectoryHandle] = [:]
        var createdPrefix = false
        for event in events {
            let prefix = String(event.id.description.prefix(2))
            let directory: DirectoryHandle
            if let open = directories[prefix] {
                directory = open
            } else {
                let (opened, created) = try eventsHandle.openDirectory(prefix, create: true)
                createdPrefix = createdPrefix || created
                directories[prefix] = opened
                directory = opened
            }
            let name = "\(event.id).json"
            let filePath = event.relativePath
            if let kind = try directory.kind(of: name) {
                guard case .regular = kind else {
                    throw DirectoryHandle.refusal(kind, filePath, expected: "a file")
                }
                let existing = try directory.readFile(name, limit: Event.maximumByteCount)
                guard existing == event.bytes else {
                    throw EscrowError(
                        .tampered,
                        "\(filePath) already exists with other contents: the store was tampered with"
                    )
                }
                continue
            }
            try directory.writeFile(event.bytes, to: name, mode: 0o644)
        }
        for prefix in directories.keys.sorted() { try directories[prefix]?.sync() }
        if createdPrefix { try eventsHandle.sync() }
        if createdEvents { try root.sync() }
        return events.map(\.relativePath)
    }

    /// Takes back event files that ``write(_:)`` wrote for a change that failed afterwards (its git commit): removes
    /// each file, and its two-digit directory once empty. Only for events no other file or commit refers to yet.
    ///
    /// - Parameter events: The events just written.
    /// - Throws: ``EscrowError/Code/ioFailure`` naming the path.
    public func remove(_ events: [Event]) throws(EscrowError) {
        guard !events.isEmpty, try root.kind(of: Self.eventsDirectory) != nil else { return }
        let (eventsHandle, _) = try openEvents(create: false)
        for event in events.reversed() {
            let prefix = String(event.id.description.prefix(2))
            guard case .directory = try eventsHandle.kind(of: prefix) else { continue }
            let (directory, _) = try eventsHandle.openDirectory(prefix, create: false)
            if try directory.remove("\(event.id).json") { try directory.sync() }
            if try eventsHandle.remove(prefix, directory: true) { try eventsHandle.sync() }
        }
    }

    private func openEvents(create: Bool) throws(EscrowError) -> (handle: DirectoryHandle, created: Bool) {
        try root.openDirectory(Self.eventsDirectory, create: create)
    }
}

/// An event file read from the store, not yet verified.
private struct EventFile: Sendable {
    var bytes: [UInt8]
    var expected: EventID
    var path: String
}

/// An event file listed (its name checked), not yet read.
private struct ListedFile: Sendable {
    let directory: DirectoryHandle
    let name: String
    let expected: EventID
    let path: String
}
