import Dispatch
import Sodium
import Synchronization

/// One signed event of a v2 store: a file `events/<first two hex digits of the id>/<id>.json`.
///
/// The file holds the compact canonical JSON (``JSONWriter/canonical(_:)``) of the event followed by one newline:
///
/// ```json
/// {"author":{"key":"…","name":"alice"},"body":{…},"format":"escrow-event","parents":["…"],"previous":null,
///  "signature":"…","store":"…","time":"2026-12-03T09:00:00Z","type":"roster","version":2}
/// ```
///
/// The signature is Ed25519 over the context `escrow-event-v2` and one length-prefixed field: the canonical JSON of the
/// event without `signature`. The identifier (``EventID``) hashes the file's bytes without the newline, so an edited or
/// renamed file is refused by ``decode(_:expectedID:source:)``.
public struct Event: Hashable, Sendable, CustomStringConvertible {
    /// The `format` member: `escrow-event`.
    public static let format = "escrow-event"
    /// The only `version` this build reads and writes (2).
    public static let version: Int64 = 2
    /// The number of bytes of a store id (16).
    public static let storeIDByteCount = 16
    /// The largest event file accepted (256 MiB): larger files are refused without being read whole. The largest
    /// events are the approvals of a bulk re-split: at 10,000 vaults × 3 credentials a new custodian's approval that
    /// consolidates its sub-shares is ~90 MB (~2.9 KB per version), a plain approval ~32 MB.
    public static let maximumByteCount = 256 << 20
    /// The `type` of the one event without parents.
    public static let genesisType = "genesis"

    /// The event's identifier (its file name).
    public var id: EventID { storage.id }
    /// The 16-byte id of the store this event belongs to.
    public var store: [UInt8] { storage.store }
    /// The event type, e.g. `genesis`, `roster`, `deposit`.
    public var type: String { storage.type }
    /// The signer.
    public var author: EventAuthor { storage.author }
    /// The heads the author had when signing: sorted, distinct, empty only for the genesis.
    public var parents: [EventID] { storage.parents }
    /// The author's own previous event, or `nil` for the author's first.
    public var previous: EventID? { storage.previous }
    /// When the author signed, by the author's clock.
    public var time: UTCTime { storage.time }
    /// The type's payload (a JSON object).
    ///
    /// For an event restored from a fold snapshot (``isLoaded`` is `false`) the file is read on first use and checked
    /// against the id; if that fails this is an empty object and ``loadedPayload()`` (which ``EventBody`` uses)
    /// throws the reason.
    public var body: JSONValue { (try? loadedPayload().body) ?? .object([:]) }
    /// The 64-byte Ed25519 signature (read on first use for an event restored from a snapshot; empty if that fails).
    public var signature: [UInt8] { (try? loadedPayload().signature) ?? [] }
    /// The exact file contents, canonical JSON and one newline (read on first use for an event restored from a
    /// snapshot; empty if that fails).
    public var bytes: [UInt8] { (try? loadedPayload().bytes) ?? [] }

    /// What an event holds beyond its header: read and checked when the event is decoded, or on first use for an
    /// event restored from a fold snapshot.
    struct Payload: Sendable {
        /// The body.
        let body: JSONValue
        /// The signature.
        let signature: [UInt8]
        /// The file's bytes.
        let bytes: [UInt8]
    }

    /// The immutable fields behind one reference: graphs of 100,000 events copy events around, and a copy of this
    /// struct is then one retain instead of one per field.
    private final class Storage: Sendable {
        let id: EventID
        let store: [UInt8]
        let type: String
        let author: EventAuthor
        let parents: [EventID]
        let previous: EventID?
        let time: UTCTime
        /// The payload of a decoded event.
        let payload: Payload?
        /// Where the payload of a restored event is read from, and what was read.
        let files: EventFiles?
        let loaded = Mutex<Payload?>(nil)

        init(
            id: EventID,
            store: [UInt8],
            type: String,
            author: EventAuthor,
            parents: [EventID],
            previous: EventID?,
            time: UTCTime,
            payload: Payload?,
            files: EventFiles?
        ) {
            self.id = id
            self.store = store
            self.type = type
            self.author = author
            self.parents = parents
            self.previous = previous
            self.time = time
            self.payload = payload
            self.files = files
        }
    }

    /// Whether the event's payload (body, signature, bytes) is in memory: always for a decoded event; for one
    /// restored from a fold snapshot, once it was read.
    public var isLoaded: Bool {
        storage.payload != nil || storage.loaded.withLock { $0 != nil }
    }

    /// The payload: in memory, or read from the store (once) and checked against the id.
    ///
    /// - Throws: What ``EventFiles/payload(of:)`` throws: ``EscrowError/Code/tampered`` naming the file if its
    ///   contents are not this event, ``EscrowError/Code/notFound`` if it is gone, an I/O error.
    func loadedPayload() throws(EscrowError) -> Payload {
        if let payload = storage.payload { return payload }
        if let payload = storage.loaded.withLock({ $0 }) { return payload }
        guard let files = storage.files else {
            throw EscrowError(.notFound, "event \(id.short) has no contents in memory and no store to read them from")
        }
        let payload = try files.payload(of: id)
        storage.loaded.withLock { $0 = payload }
        return payload
    }

    /// An event restored from a fold snapshot: its header as verified when the snapshot was written; its payload is
    /// read from `files` on first use and checked against `id` (BLAKE2b of the bytes, as ``decode(_:source:)``).
    ///
    /// - Parameters:
    ///   - id: The id.
    ///   - store: The store id.
    ///   - type: The type.
    ///   - author: The signer.
    ///   - parents: The parents, sorted.
    ///   - previous: The author's previous event.
    ///   - time: The signing time.
    ///   - files: Where to read the payload.
    init(
        restoring id: EventID,
        store: [UInt8],
        type: String,
        author: EventAuthor,
        parents: [EventID],
        previous: EventID?,
        time: UTCTime,
        files: EventFiles
    ) {
        storage = Storage(
            id: id,
            store: store,
            type: type,
            author: author,
            parents: parents,
            previous: previous,
            time: time,
            payload: nil,
            files: files
        )
    }

    private let storage: Storage

    private static let signatureContext = "escrow-event-v2"
    private static let members: Set<String> = [
        "author", "body", "format", "parents", "previous", "signature", "store", "time", "type", "version",
    ]

    private init(
        id: EventID,
        store: [UInt8],
        type: String,
        author: EventAuthor,
        parents: [EventID],
        previous: EventID?,
        time: UTCTime,
        body: JSONValue,
        signature: [UInt8],
        bytes: [UInt8]
    ) {
        storage = Storage(
            id: id,
            store: store,
            type: type,
            author: author,
            parents: parents,
            previous: previous,
            time: time,
            payload: Payload(body: body, signature: signature, bytes: bytes),
            files: nil
        )
    }

    /// Whether this is a genesis event (type `genesis`).
    public var isGenesis: Bool { type == Self.genesisType }

    /// The file's path relative to the store root: `events/ab/ab….json`.
    public var relativePath: String { Self.relativePath(of: id) }

    /// The path, relative to the store root, of the file holding the event `id`.
    ///
    /// - Parameter id: An event id.
    /// - Returns: `events/<first two hex digits>/<64 hex digits>.json`.
    public static func relativePath(of id: EventID) -> String {
        let hex = id.description
        return "events/\(hex.prefix(2))/\(hex).json"
    }

    /// `roster 1a2b3c4d5e6f by alice`.
    public var description: String { "\(type) \(id.short) by \(author.name)" }

    /// Events are equal when their ids are: an id is the BLAKE2b hash of the bytes, checked whenever bytes are
    /// read, so equal ids mean equal bytes.
    public static func == (lhs: Event, rhs: Event) -> Bool {
        lhs.storage === rhs.storage || lhs.id == rhs.id
    }

    /// Hashes the id, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    // MARK: Making

    /// Signs a new event.
    ///
    /// - Parameters:
    ///   - store: The 16-byte store id.
    ///   - type: The event type: 1 to 64 characters, lowercase letters, digits, `.` and `-`, starting with a letter.
    ///   - author: The signer's identity (its name and key become the `author` member).
    ///   - parents: The heads the author has; sorted and deduplicated here. Empty only for a genesis.
    ///   - previous: The author's own previous event, or `nil` for its first.
    ///   - time: The signing time.
    ///   - body: The type's payload, a JSON object.
    /// - Returns: The event, with its file bytes and id.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a wrong store id length, a bad type or a body that is not an
    ///   object.
    public static func make(
        store: [UInt8],
        type: String,
        author: CustodianIdentity,
        parents: [EventID],
        previous: EventID?,
        time: UTCTime,
        body: JSONValue
    ) throws(EscrowError) -> Event {
        try make(
            store: store,
            type: type,
            author: author,
            parents: parents,
            previous: previous,
            time: time,
            body: body,
            canonicalBody: [JSONWriter.canonical(body)]
        )
    }

    /// Signs a new event whose body's canonical bytes the caller already wrote (a bulk approval writes each
    /// contribution's bytes on its own core): the same event as ``make(store:type:author:parents:previous:time:body:)``
    /// without writing the body again.
    ///
    /// The file's bytes are written around `canonicalBody` in the canonical member order (`author`, `body`, `format`,
    /// `parents`, `previous`, `signature`, `store`, `time`, `type`, `version`), each header member by
    /// ``JSONWriter/canonical(_:)``; the signed message is the same bytes without `signature`.
    ///
    /// - Parameters:
    ///   - store: The 16-byte store id.
    ///   - type: The event type.
    ///   - author: The signer's identity.
    ///   - parents: The heads the author has; sorted and deduplicated here.
    ///   - previous: The author's own previous event, or `nil` for its first.
    ///   - time: The signing time.
    ///   - body: The type's payload, a JSON object.
    ///   - canonicalBody: `JSONWriter.canonical(body)`, exactly, in parts whose concatenation it is (written once,
    ///     into the event's buffer; `EventMakeTests` and the approval's encoding tests check the callers).
    /// - Returns: The event.
    /// - Throws: As ``make(store:type:author:parents:previous:time:body:)``.
    static func make(
        store: [UInt8],
        type: String,
        author: CustodianIdentity,
        parents: [EventID],
        previous: EventID?,
        time: UTCTime,
        body: JSONValue,
        canonicalBody: [[UInt8]]
    ) throws(EscrowError) -> Event {
        guard store.count == storeIDByteCount else {
            throw EscrowError(.invalidInput, "new \(type) event: the store id must be 16 bytes, not \(store.count)")
        }
        guard isValidType(type) else {
            throw EscrowError(
                .invalidInput,
                "new event: type '\(printable(type))' must be 1-64 lowercase letters, digits, '.' or '-'"
            )
        }
        guard case .object = body, canonicalBody.first(where: { !$0.isEmpty })?.first == UInt8(ascii: "{") else {
            throw EscrowError(.invalidInput, "new \(type) event: the body must be a JSON object")
        }
        let sortedParents = Set(parents).sorted()
        // The members in canonical order around the body and the signature (see the doc comment).
        let head =
            member(
                "author",
                .object([
                    "name": .string(author.publicIdentity.name),
                    "key": .string(Base64URL.encode(author.publicIdentity.signingKey)),
                ]),
                first: true
            ) + Array(",\"body\":".utf8)
        let middle =
            member("format", .string(format))
            + member("parents", .array(sortedParents.map { .string($0.description) }))
            + member("previous", previous.map { .string($0.description) } ?? .null)
        let tail =
            member("store", .string(Hex.encode(store)))
            + member("time", .string(time.description))
            + member("type", .string(type))
            + member("version", .int(version)) + [UInt8(ascii: "}")]
        let unsignedCount = head.count + canonicalBody.reduce(0) { $0 + $1.count } + middle.count + tail.count
        let source = "new \(type) event"
        // Refused before anything is signed when even the smallest signature member would not fit.
        let signatureCount = (SigningKeyPair.signatureCount * 4 + 2) / 3
        let smallestSignature = member("signature", .string(String(repeating: "A", count: signatureCount)))
        let fileCount = unsignedCount + smallestSignature.count + 1
        guard fileCount <= maximumByteCount else { throw tooLarge(source, byteCount: fileCount) }
        // The signed message: the context and the unsigned event as one length-prefixed field (``BindingEncoder``).
        // The file's bytes are then made in the same buffer (a bulk approval is tens of megabytes): the signature
        // member goes in before `tail`, and the context and length in front are dropped.
        var bytes = BindingEncoder(context: signatureContext).bytes
        bytes += BindingEncoder.lengthPrefix(unsignedCount)
        let prefixCount = bytes.count
        // Room for the unsigned event, the signature member (`,"signature":"` ‖ 86 characters ‖ `"`) and the newline.
        bytes.reserveCapacity(prefixCount + unsignedCount + 128)
        bytes += head
        for part in canonicalBody { bytes += part }
        bytes += middle
        bytes += tail
        let signature = author.sign(bytes)
        let key = author.publicIdentity.signingKey
        let signatureMember = member("signature", .string(Base64URL.encode(signature)))
        // The check of the signature and the id (over the file's bytes: the unsigned event with the signature member
        // before `tail`) read the same buffer: on two cores for a big event.
        let (verifies, id) = Self.verifyAndIdentify(
            bytes,
            prefixCount: prefixCount,
            tailCount: tail.count,
            signature: signature,
            signatureMember: signatureMember,
            key: key
        )
        bytes.insert(contentsOf: signatureMember, at: bytes.count - tail.count)
        bytes.append(UInt8(ascii: "\n"))
        bytes.removeFirst(prefixCount)
        // The bytes are canonical JSON by construction, so parsing them back would give the event's values and the
        // canonical check would pass; the rules `decode` checks beyond that are checked here on the values
        // themselves, so a big body is not parsed, written and hashed again (`EventMakeTests` compare with `decode`).
        guard bytes.count <= maximumByteCount else { throw tooLarge(source, byteCount: bytes.count) }
        guard depth(of: body) <= JSONParser.maximumDepth else {
            throw EscrowError(.malformedFile, "\(source): the body is nested deeper than the format allows")
        }
        let name = author.publicIdentity.name
        guard (try? NameRules.validateCustodianName(name)) != nil else {
            throw EscrowError(.malformedFile, "\(source): the author's name is not a valid member name")
        }
        guard key.count == SigningKeyPair.publicKeyCount else {
            throw EscrowError(.malformedFile, "\(source): the author's key is not a 32-byte base64url Ed25519 key")
        }
        guard let parsedTime = UTCTime(time.description), parsedTime.description == time.description else {
            throw EscrowError(.malformedFile, "\(source): member 'time' is not a YYYY-MM-DDTHH:MM:SSZ time")
        }
        guard verifies else {
            throw EscrowError(.tampered, "\(source): the signature does not verify under the author's key")
        }
        return Event(
            id: id,
            store: store,
            type: type,
            author: EventAuthor(name: name, key: key),
            parents: sortedParents,
            previous: previous,
            time: parsedTime,
            body: body,
            signature: signature,
            bytes: bytes
        )
    }

    /// The refusal of an event larger than ``maximumByteCount``.
    private static func tooLarge(_ source: String, byteCount: Int) -> EscrowError {
        EscrowError(
            .invalidInput,
            "\(source) would be \(byteCount) bytes, more than the \(maximumByteCount >> 20) MiB an event may hold: a "
                + "request over fewer vaults makes smaller events"
        )
    }

    /// The size from which ``verifyAndIdentify(_:prefixCount:tailCount:signature:signatureMember:key:)`` checks
    /// the signature and hashes the id on two cores.
    static let parallelCheckByteCount = 1 << 20

    /// Whether `signature` verifies over `message` (the signed message), and the id of the file's content: the
    /// unsigned event (`message` after `prefixCount`) with `signatureMember` inserted before its last `tailCount`
    /// bytes. Both only read `message`; from ``parallelCheckByteCount`` bytes they run at the same time.
    private static func verifyAndIdentify(
        _ message: [UInt8],
        prefixCount: Int,
        tailCount: Int,
        signature: [UInt8],
        signatureMember: [UInt8],
        key: [UInt8]
    ) -> (verifies: Bool, id: EventID) {
        let verify = { SigningKeyPair.isValidSignature(signature, for: message, publicKey: key) }
        let identify = {
            EventID.hashing(contentCount: message.count - prefixCount + signatureMember.count) { stream in
                message.withUnsafeBytes { all in
                    stream.update(UnsafeRawBufferPointer(rebasing: all[prefixCount..<(all.count - tailCount)]))
                    signatureMember.withUnsafeBytes { stream.update($0) }
                    stream.update(UnsafeRawBufferPointer(rebasing: all[(all.count - tailCount)...]))
                }
            }
        }
        guard message.count >= parallelCheckByteCount else { return (verify(), identify()) }
        let verified = Mutex(false)
        let identified = Mutex<EventID?>(nil)
        // Safety: both closures only read their captures (immutable arrays); each writes its own result once.
        let work = UncheckedSendable(value: (verify, identify))
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 {
                let result = work.value.0()
                verified.withLock { $0 = result }
            } else {
                let result = work.value.1()
                identified.withLock { $0 = result }
            }
        }
        return (verified.withLock { $0 }, identified.withLock { $0 } ?? identify())
    }

    /// One member of the event object in canonical form: `,"name":value` (without the comma for the first).
    private static func member(_ name: String, _ value: JSONValue, first: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = first ? [UInt8(ascii: "{")] : [UInt8(ascii: ",")]
        bytes += JSONWriter.canonical(.string(name))
        bytes.append(UInt8(ascii: ":"))
        bytes += JSONWriter.canonical(value)
        return bytes
    }

    /// The nesting depth of `value` as the parser counts it below the event object (the body is at level 2).
    private static func depth(of value: JSONValue) -> Int {
        var deepest = 1
        var stack: [(JSONValue, Int)] = [(value, 2)]
        while let (node, level) = stack.popLast() {
            switch node {
            case .object(let members):
                deepest = max(deepest, level)
                for member in members.values {
                    if case .object = member { stack.append((member, level + 1)) }
                    if case .array = member { stack.append((member, level + 1)) }
                }
            case .array(let elements):
                deepest = max(deepest, level)
                for element in elements {
                    if case .object = element { stack.append((element, level + 1)) }
                    if case .array = element { stack.append((element, level + 1)) }
                }
            default: break
            }
        }
        return deepest
    }

    private static func signedMessage(_ unsigned: JSONValue) -> [UInt8] {
        signedMessage(canonical: JSONWriter.canonical(unsigned))
    }

    /// The signed message over `unsigned`, the canonical JSON of the event without `signature`.
    private static func signedMessage(canonical unsigned: [UInt8]) -> [UInt8] {
        var encoder = BindingEncoder(context: signatureContext)
        encoder.append(unsigned)
        return encoder.bytes
    }

    // MARK: Decoding

    /// Decodes an event file and checks that its name is its id.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - expectedID: The id the file's name claims.
    ///   - source: The file's path, for messages.
    /// - Returns: The event.
    /// - Throws: Everything ``decode(_:source:)`` throws; ``EscrowError/Code/tampered`` if the content's id is not
    ///   `expectedID` (the file was renamed or edited).
    public static func decode(_ bytes: [UInt8], expectedID: EventID, source: String) throws(EscrowError) -> Event {
        let event = try decode(bytes, source: source)
        guard event.id == expectedID else {
            throw EscrowError(
                .tampered,
                "\(source): the file's name is not the id of its contents (\(event.id.short)…): "
                    + "it was renamed or edited"
            )
        }
        return event
    }

    /// Decodes and verifies an event file: canonical form, header, members, encodings, parent order and signature.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: The file's path, for messages.
    /// - Returns: The event.
    /// - Throws: ``EscrowError/Code/malformedFile`` (not JSON, not canonical, a missing, unknown or malformed member,
    ///   unsorted or repeated parents), ``EscrowError/Code/unsupportedVersion`` (another format or version),
    ///   ``EscrowError/Code/tampered`` (the signature does not verify), each naming `source`.
    /// - Complexity: O(n log n) in the file's size, plus one Ed25519 verification.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> Event {
        guard bytes.count <= maximumByteCount else {
            throw EscrowError(.malformedFile, "\(source): larger than \(maximumByteCount) bytes")
        }
        guard bytes.last == UInt8(ascii: "\n") else {
            throw EscrowError(.malformedFile, "\(source): an event file ends with one newline")
        }
        let content = Array(bytes.dropLast())
        let value: JSONValue
        let unsigned: [UInt8]
        // Nearly every file is read in one pass that also proves it canonical; anything else (an escape in a string,
        // a file that is not canonical or not JSON) takes the parser and the writer, which name the problem.
        if let document = CanonicalDocument.parse(content) {
            value = document.value
            try VersionedDocument.check(value, format: format, version: version, source: source)
            unsigned = document.bytes(removingMember: "signature")
        } else {
            value = try JSONParser.parse(content, source: source)
            try VersionedDocument.check(value, format: format, version: version, source: source)
            guard JSONWriter.canonical(value).elementsEqual(content) else {
                throw EscrowError(
                    .malformedFile,
                    "\(source): not in canonical form (compact JSON, members sorted, one final newline): "
                        + "the file was edited or written by another program"
                )
            }
            unsigned = JSONWriter.canonical(value.removing("signature"))
        }
        guard case .object(let object) = value else {
            throw EscrowError(.malformedFile, "\(source): expected a JSON object")
        }
        try requireMembers(Set(object.keys), expected: members, in: "the event", source: source)

        let store = try hexField(object, "store", count: storeIDByteCount, source: source)
        guard let type = object["type"]?.stringValue, isValidType(type) else {
            throw EscrowError(
                .malformedFile,
                "\(source): member 'type' must be 1-64 lowercase letters, digits, '.' or '-'"
            )
        }
        let author = try decodeAuthor(object["author"], source: source)
        let parents = try decodeParents(object["parents"], source: source)
        let previous: EventID?
        switch object["previous"] {
        case .null?: previous = nil
        case .string(let text)?: previous = try eventID(text, member: "previous", source: source)
        default: throw EscrowError(.malformedFile, "\(source): member 'previous' must be an event id or null")
        }
        guard let timeText = object["time"]?.stringValue, let time = UTCTime(timeText), time.description == timeText
        else {
            throw EscrowError(.malformedFile, "\(source): member 'time' is not a YYYY-MM-DDTHH:MM:SSZ time")
        }
        guard let body = object["body"], case .object = body else {
            throw EscrowError(.malformedFile, "\(source): member 'body' must be a JSON object")
        }
        guard let signatureText = object["signature"]?.stringValue, let signature = Base64URL.decode(signatureText),
            signature.count == SigningKeyPair.signatureCount
        else {
            throw EscrowError(.malformedFile, "\(source): member 'signature' is not a 64-byte base64url signature")
        }
        let message = signedMessage(canonical: unsigned)
        guard SigningKeyPair.isValidSignature(signature, for: message, publicKey: author.key) else {
            throw EscrowError(
                .tampered,
                "\(source): the signature does not verify under the author's key (\(author)): "
                    + "the event was altered or forged"
            )
        }
        return Event(
            id: EventID.hashing(content),
            store: store,
            type: type,
            author: author,
            parents: parents,
            previous: previous,
            time: time,
            body: body,
            signature: signature,
            bytes: bytes
        )
    }

    private static func requireMembers(
        _ found: Set<String>,
        expected: Set<String>,
        in what: String,
        source: String
    ) throws(EscrowError) {
        if let unknown = found.subtracting(expected).sorted().first {
            throw EscrowError(.malformedFile, "\(source): unknown member '\(printable(unknown))' in \(what)")
        }
        if let missing = expected.subtracting(found).sorted().first {
            throw EscrowError(.malformedFile, "\(source): member '\(missing)' is missing from \(what)")
        }
    }

    private static func hexField(
        _ object: [String: JSONValue],
        _ name: String,
        count: Int,
        source: String
    ) throws(EscrowError) -> [UInt8] {
        guard let text = object[name]?.stringValue, let bytes = Hex.decode(text), bytes.count == count else {
            throw EscrowError(.malformedFile, "\(source): member '\(name)' must be \(count * 2) lowercase hex digits")
        }
        return bytes
    }

    private static func eventID(_ text: String, member: String, source: String) throws(EscrowError) -> EventID {
        do {
            return try EventID(hex: text)
        } catch {
            throw EscrowError(.malformedFile, "\(source): member '\(member)' holds something that is not an event id")
        }
    }

    private static func decodeAuthor(_ value: JSONValue?, source: String) throws(EscrowError) -> EventAuthor {
        guard case .object(let object)? = value else {
            throw EscrowError(.malformedFile, "\(source): member 'author' must be an object")
        }
        try requireMembers(Set(object.keys), expected: ["key", "name"], in: "'author'", source: source)
        guard let name = object["name"]?.stringValue, (try? NameRules.validateCustodianName(name)) != nil else {
            throw EscrowError(.malformedFile, "\(source): the author's name is not a valid member name")
        }
        guard let keyText = object["key"]?.stringValue, let key = Base64URL.decode(keyText),
            key.count == SigningKeyPair.publicKeyCount
        else {
            throw EscrowError(.malformedFile, "\(source): the author's key is not a 32-byte base64url Ed25519 key")
        }
        return EventAuthor(name: name, key: key)
    }

    private static func decodeParents(_ value: JSONValue?, source: String) throws(EscrowError) -> [EventID] {
        guard case .array(let elements)? = value else {
            throw EscrowError(.malformedFile, "\(source): member 'parents' must be an array of event ids")
        }
        var parents: [EventID] = []
        parents.reserveCapacity(elements.count)
        for element in elements {
            guard let text = element.stringValue else {
                throw EscrowError(.malformedFile, "\(source): member 'parents' must be an array of event ids")
            }
            let parent = try eventID(text, member: "parents", source: source)
            if let last = parents.last, !(last < parent) {
                throw EscrowError(
                    .malformedFile,
                    "\(source): member 'parents' must be sorted and without repeats (\(parent.short) is out of place)"
                )
            }
            parents.append(parent)
        }
        return parents
    }

    private static func isValidType(_ type: String) -> Bool {
        let bytes = Array(type.utf8)
        guard (1...64).contains(bytes.count), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0]) else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }

    /// `text` with anything but printable ASCII replaced by `?` and cut to 64 characters, for messages.
    static func printable(_ text: String) -> String {
        let shown = text.unicodeScalars.prefix(64).map {
            $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?"
        }
        return String(shown) + (text.unicodeScalars.count > 64 ? "…" : "")
    }
}
