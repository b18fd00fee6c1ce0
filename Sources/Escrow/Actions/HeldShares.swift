import Dispatch
import Sodium

/// Where a holder's values of a version are published, and how to open and check them: the dealt share in the
/// deposit, or the sub-shares of the last re-split in its contributors' approvals.
public struct HeldShares {
    let events: [EventID: Event]
    let lookup: EventGraph?
    let storeID: [UInt8]
    /// Approval bodies decoded once (the ledger's, or this reader's own).
    let approvals: DecodedApprovals
    /// Batch deposit bodies decoded once (the ledger's, or this reader's own).
    let deposits: DecodedDeposits

    /// Creates a reader over a folded store.
    ///
    /// - Parameters:
    ///   - graph: The verified graph.
    ///   - state: Its fold.
    public init(graph: EventGraph, state: LedgerState) {
        self.init(graph: graph, state: state, approvals: DecodedApprovals(), deposits: DecodedDeposits())
    }

    /// Creates a reader sharing a ledger's decoded approvals and deposits.
    init(graph: EventGraph, state: LedgerState, approvals: DecodedApprovals, deposits: DecodedDeposits) {
        self.events = [:]
        self.lookup = graph
        self.storeID = state.storeID
        self.approvals = approvals
        self.deposits = deposits
    }

    /// Creates a reader over a set of verified events (a release bundle: the deposits and approvals it needs).
    ///
    /// - Parameters:
    ///   - events: The events by id.
    ///   - storeID: The store they come from.
    public init(events: [EventID: Event], storeID: [UInt8]) {
        self.events = events
        self.lookup = nil
        self.storeID = storeID
        self.approvals = DecodedApprovals()
        self.deposits = DecodedDeposits()
    }

    /// The event with `id`.
    func event(_ id: EventID) -> Event? {
        lookup?.event(id) ?? events[id]
    }

    /// The deposit record of `version` (from its `deposit` event or its item of a `deposit.batch`), with the event.
    ///
    /// - Parameter version: The version.
    /// - Returns: The record and the event.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the event is missing or holds no deposit of the version.
    func deposit(of version: VersionState) throws(EscrowError) -> (record: DepositBody, event: Event) {
        guard let event = event(version.deposit) else {
            throw EscrowError(.malformedFile, "deposit \(version.deposit.short) is missing")
        }
        return (try deposits.record(of: version.id, in: event), event)
    }

    /// The binding of a version (store, vault, entry, version, kind).
    ///
    /// - Parameters:
    ///   - version: The version.
    ///   - vault: Its vault.
    /// - Returns: The binding.
    /// - Throws: ``EscrowError/Code/invalidInput`` for malformed ids.
    public func binding(of version: VersionState, in vault: VaultReference) throws(EscrowError) -> VersionBinding {
        try VersionBinding(
            storeID: storeID,
            vaultID: vault.id.bytes,
            vaultName: vault.name,
            entry: version.entry,
            versionID: version.id,
            kind: version.kind.rawValue
        )
    }

    /// The position of a holder's component of `version`.
    ///
    /// - Parameters:
    ///   - version: The version.
    ///   - vault: Its vault.
    ///   - path: The component's path.
    ///   - x: The holder's coordinate.
    /// - Returns: The position.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a malformed position.
    public func position(of version: VersionState, in vault: VaultReference, path: [UInt8], x: UInt8)
        throws(EscrowError)
        -> SharePosition
    {
        let resplit: [UInt8]
        switch version.source {
        case .dealt: resplit = []
        case .resplit(let request, _): resplit = request.bytes
        }
        return try SharePosition(
            binding: try binding(of: version, in: vault),
            generation: version.generation,
            resplit: resplit,
            path: path,
            x: x
        )
    }

    /// The published sealed components of the holder at `x`, each with the key it was sealed with, its published
    /// digest and the name of its author.
    ///
    /// - Parameters:
    ///   - version: The version.
    ///   - x: The holder's coordinate.
    /// - Returns: The sealed components.
    /// - Throws: ``EscrowError/Code/malformedFile`` if a source event cannot be read.
    public func published(_ version: VersionState, x: UInt8) throws(EscrowError) -> [PublishedComponent] {
        switch version.source {
        case .dealt:
            let (body, event) = try deposit(of: version)
            return body.shares.filter { $0.x == x }.map {
                PublishedComponent(
                    record: $0,
                    ephemeralKey: body.ephemeralKey.bytes,
                    digest: $0.digest?.bytes ?? [],
                    author: event.author.name
                )
            }
        case .resplit(_, let contributions):
            var components: [PublishedComponent] = []
            for contributor in contributions.keys.sorted() {
                guard let id = contributions[contributor], let event = event(id) else { continue }
                let approval = try approvals.entry(for: event)
                guard let contribution = approval.contribution(for: version.id),
                    let ephemeral = approval.body.ephemeralKey
                else { continue }
                components += contribution.components.filter { $0.x == x }.map {
                    PublishedComponent(
                        record: $0,
                        ephemeralKey: ephemeral.bytes,
                        digest: $0.digest?.bytes ?? [],
                        author: event.author.name
                    )
                }
            }
            return components
        }
    }

    /// Opens the holder's own components of `version` and checks each against its author's digest.
    ///
    /// - Parameters:
    ///   - version: The version.
    ///   - vault: Its vault.
    ///   - x: The holder's coordinate.
    ///   - boxKeys: The holder's X25519 key pair.
    /// - Returns: The components (values in guarded memory).
    /// - Throws: ``EscrowError/Code/badShare`` naming the author of a value that fails to open or to match its
    ///   digest.
    public func open(_ version: VersionState, in vault: VaultReference, x: UInt8, boxKeys: BoxKeyPair)
        throws(EscrowError)
        -> [ShareComponent]
    {
        try open([HeldVersion(version: version, vault: vault, x: x)], boxKeys: boxKeys)[0]
    }

    /// Opens the holder's components of many versions, each checked against its author's digest, on every core.
    ///
    /// Each worker reads what was published for its versions (through the shared, thread-safe caches of decoded
    /// approvals and batch deposits), makes the key agreements (one per distinct ephemeral key and worker), opens
    /// and checks the digests.
    ///
    /// - Parameters:
    ///   - versions: The versions with their vaults and the holder's coordinate in each.
    ///   - boxKeys: The holder's X25519 key pair.
    /// - Returns: The components of each version, in the order of `versions`.
    /// - Throws: ``EscrowError/Code/badShare`` (or ``EscrowError/Code/malformedFile`` for a source that cannot be
    ///   read) for the first version, in the order given, that fails.
    /// - Complexity: One X25519 agreement per distinct ephemeral key per chunk, one AEAD opening and one BLAKE2b per
    ///   component.
    func open(_ versions: [HeldVersion], boxKeys: BoxKeyPair) throws(EscrowError) -> [[ShareComponent]] {
        let results = ParallelResults<[ShareComponent]>(count: versions.count)
        let chunkCount = versions.count < 64 ? 1 : min(versions.count, 16)
        // Safety: the workers read the graph (immutable) and the caches (thread-safe); each result index is written
        // by one worker.
        let reader = UncheckedSendable(value: self)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var openers: [[UInt8]: ShareOpener] = [:]
            let range = (versions.count * chunk / chunkCount)..<(versions.count * (chunk + 1) / chunkCount)
            for index in range {
                let result = Result { () throws(EscrowError) in
                    try Self.open(try reader.value.openWork(for: versions[index]), boxKeys: boxKeys, openers: &openers)
                }
                results.set(index, result)
            }
        }
        var opened: [[ShareComponent]] = []
        opened.reserveCapacity(versions.count)
        for index in versions.indices { opened.append(try results.get(index)) }
        return opened
    }

    /// What a holder opens of one version: its published components with their positions.
    func openWork(for held: HeldVersion) throws(EscrowError) -> [OpenWork] {
        var items: [OpenWork] = []
        for component in try published(held.version, x: held.x) {
            items.append(
                OpenWork(
                    component: component,
                    position: try position(of: held.version, in: held.vault, path: component.record.path, x: held.x),
                    blame: ShareBlame(author: component.author, entry: held.version.entry, vault: held.vault.name)
                )
            )
        }
        return items
    }

    private static func open(_ items: [OpenWork], boxKeys: BoxKeyPair, openers: inout [[UInt8]: ShareOpener])
        throws(EscrowError) -> [ShareComponent]
    {
        var result: [ShareComponent] = []
        result.reserveCapacity(items.count)
        for item in items {
            let opener: ShareOpener
            if let cached = openers[item.component.ephemeralKey] {
                opener = cached
            } else {
                opener = try ShareOpener(boxKeys: boxKeys, ephemeralPublicKey: item.component.ephemeralKey)
                openers[item.component.ephemeralKey] = opener
            }
            let value = try checked(
                { () throws(EscrowError) in
                    try opener.open(item.component.record.sealed.bytes, position: item.position)
                },
                digest: item.component.digest,
                position: item.position,
                blame: item.blame.description
            )
            result.append(ShareComponent(path: item.component.record.path, value: value))
        }
        return result
    }

    /// Opens `items` into caller-provided guarded memory and checks each value against its author's digest: the
    /// bulk form of the opening (no guarded allocation per value). The failures and their messages are those of
    /// ``open(_:boxKeys:)``.
    ///
    /// - Parameters:
    ///   - items: The components to open.
    ///   - keys: This worker's opener keys (one X25519 agreement per distinct ephemeral key).
    ///   - values: Receives the 32-byte values back to back, in the order of `items`.
    ///   - scratch: At least ``ComponentDigest/scratchCount(position:)`` bytes for every item (wiped after use).
    /// - Throws: ``EscrowError/Code/badShare`` naming the author of the first value that fails;
    ///   ``EscrowError/Code/tampered`` for an unusable ephemeral key.
    static func open(
        _ items: [OpenWork],
        keys: OpenerKeys,
        into values: UnsafeMutableRawBufferPointer,
        scratch: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) {
        let width = ComponentDigest.valueCount
        precondition(values.count >= items.count * width, "the opened values do not fit")
        for (index, item) in items.enumerated() {
            let key = try keys.key(for: item.component.ephemeralKey)
            let value = UnsafeMutableRawBufferPointer(rebasing: values[(index * width)..<((index + 1) * width)])
            do throws(EscrowError) {
                try key.withUnsafeBytes { (key) throws(EscrowError) in
                    try ShareOpener.open(
                        item.component.record.sealed.bytes,
                        position: item.position,
                        rawKey: key,
                        into: value
                    )
                }
            } catch {
                throw EscrowError(.badShare, "\(item.blame) does not open (sealed to another key or altered)")
            }
            let digest = item.component.digest
            guard digest.count == ComponentDigest.byteCount,
                Sodium.constantTimeEquals(
                    ComponentDigest.compute(
                        value: UnsafeRawBufferPointer(value),
                        position: item.position,
                        scratch: scratch
                    ),
                    digest
                )
            else {
                throw EscrowError(.badShare, "\(item.blame) does not match its published digest")
            }
        }
    }

    /// Opens a value and checks it against its digest, naming `blame` on failure.
    func checked(
        _ open: () throws(EscrowError) -> SecureBytes,
        digest: [UInt8],
        position: SharePosition,
        blame: @autoclosure () -> String
    ) throws(EscrowError) -> SecureBytes {
        try Self.checked(open, digest: digest, position: position, blame: blame())
    }

    /// Opens a value and checks it against its digest, naming `blame` on failure.
    static func checked(
        _ open: () throws(EscrowError) -> SecureBytes,
        digest: [UInt8],
        position: SharePosition,
        blame: @autoclosure () -> String
    ) throws(EscrowError) -> SecureBytes {
        let value: SecureBytes
        do {
            value = try open()
        } catch {
            throw EscrowError(.badShare, "\(blame()) does not open (sealed to another key or altered)")
        }
        guard ComponentDigest.matches(value: value, position: position, digest: digest) else {
            throw EscrowError(.badShare, "\(blame()) does not match its published digest")
        }
        return value
    }
}

/// A sealed component as published, with what is needed to open and check it.
public struct PublishedComponent {
    /// The record (x, path, sealed value).
    public var record: SealedComponentRecord
    /// The ephemeral key it was sealed with.
    public var ephemeralKey: [UInt8]
    /// The digest its author signed.
    public var digest: [UInt8]
    /// Its author's name.
    public var author: String
}

/// The opener keys of one worker: one X25519 agreement and key derivation per distinct ephemeral key, each key in
/// a slot of one guarded arena (instead of two guarded allocations per ``ShareOpener``). When the arena is full it
/// is wiped and the keys are derived again as needed.
///
/// - Important: Not thread-safe: one per worker.
final class OpenerKeys {
    private let boxKeys: BoxKeyPair
    private let arena: SecureArena
    private var shared: SecureArena.Slot?
    private var keys: [[UInt8]: SecureArena.Slot] = [:]

    /// Creates room for `capacity` keys.
    ///
    /// - Parameters:
    ///   - boxKeys: The holder's X25519 key pair.
    ///   - capacity: The number of distinct ephemeral keys expected (at most the number of values to open).
    init(boxKeys: BoxKeyPair, capacity: Int) {
        self.boxKeys = boxKeys
        arena = SecureArena(slotByteCount: AEAD.keyCount, slotCount: max(capacity, 1) + 1)
    }

    /// The key for values sealed under `ephemeralPublicKey` (valid until the next call).
    ///
    /// - Parameter ephemeralPublicKey: The sealer's ephemeral public key.
    /// - Returns: The 32-byte opener key.
    /// - Throws: ``EscrowError/Code/tampered`` for an unusable ephemeral key (as ``ShareOpener``).
    func key(for ephemeralPublicKey: [UInt8]) throws(EscrowError) -> SecureArena.Slot {
        if let key = keys[ephemeralPublicKey] { return key }
        let shared: SecureArena.Slot
        let key: SecureArena.Slot
        do throws(SodiumError) {
            if let scratch = self.shared, arena.availableSlotCount > 0 {
                shared = scratch
            } else {
                arena.reset()
                keys = [:]
                shared = try arena.allocate()
                self.shared = shared
            }
            key = try arena.allocate()
        } catch {
            throw EscrowError(.cryptoFailure, "cannot reserve guarded memory: \(error.message)")
        }
        try shared.withUnsafeMutableBytes { (shared) throws(EscrowError) in
            try key.withUnsafeMutableBytes { (output) throws(EscrowError) in
                try ShareOpener.deriveKey(
                    boxKeys: boxKeys,
                    ephemeralPublicKey: ephemeralPublicKey,
                    shared: shared,
                    into: output
                )
            }
        }
        keys[ephemeralPublicKey] = key
        return key
    }
}

/// A value handed to concurrent workers under a documented reason (see each use).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

/// A version whose components a holder opens.
struct HeldVersion: Sendable {
    /// The version.
    var version: VersionState
    /// Its vault.
    var vault: VaultReference
    /// The holder's coordinate.
    var x: UInt8
}

/// One published component to open, with its position and whom to blame.
struct OpenWork: @unchecked Sendable {
    var component: PublishedComponent
    var position: SharePosition
    var blame: ShareBlame
}

/// Whose share a failure names ("alice's share of root-password (acme-prod)"), kept as its parts: a bulk approval
/// makes one per component (90,000 at 10,000 vaults) and spells out only those that fail.
struct ShareBlame: CustomStringConvertible {
    var author: String
    var entry: String
    var vault: String

    var description: String { "\(author)'s share of \(entry) (\(vault))" }
}

/// Results written by concurrent workers, each index by exactly one worker, read after they all finished.
final class ParallelResults<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Result<Value, EscrowError>?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Stores the result at `index` (each index is written once, by one worker).
    func set(_ index: Int, _ result: Result<Value, EscrowError>) {
        precondition(index >= 0 && index < count, "parallel result index out of range")
        storage[index] = result
    }

    /// The value at `index`, or its error.
    func get(_ index: Int) throws(EscrowError) -> Value {
        precondition(index >= 0 && index < count, "parallel result index out of range")
        guard let result = storage[index] else {
            throw EscrowError(.cryptoFailure, "a parallel result is missing")
        }
        return try result.get()
    }

    /// The value at `index`, or its error, moved out (the slot is left empty: a later ``get(_:)`` reports it
    /// missing).
    func take(_ index: Int) throws(EscrowError) -> Value {
        precondition(index >= 0 && index < count, "parallel result index out of range")
        guard let result = storage[index].take() else {
            throw EscrowError(.cryptoFailure, "a parallel result is missing")
        }
        return try result.get()
    }
}
