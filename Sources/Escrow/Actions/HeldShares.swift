import Sodium

/// Where a holder's values of a version are published, and how to open and check them: the dealt share in the
/// deposit, or the sub-shares of the last re-split in its contributors' approvals.
public struct HeldShares {
    let events: [EventID: Event]
    let lookup: EventGraph?
    let storeID: [UInt8]
    /// Source bodies decoded so far, shared by the copies of this reader.
    let cache = BodyCache()

    /// The decoded bodies of the deposits and re-split approvals a reader has used.
    ///
    /// A re-split approval carries sub-shares of every version of every vault it re-splits (megabytes after a bulk
    /// re-split). Decoding it (and re-encoding it for the canonical check) once per version read made approving or
    /// opening after a bulk re-split of n vaults quadratic in n; with the cache each body is decoded once per reader,
    /// and each version's contribution is found through an index instead of a scan.
    final class BodyCache {
        var deposits: [EventID: DepositBody] = [:]
        var approvals: [EventID: (body: ApprovalBody, index: [[UInt8]: Int])] = [:]
    }

    /// Creates a reader over a folded store.
    ///
    /// - Parameters:
    ///   - graph: The verified graph.
    ///   - state: Its fold.
    public init(graph: EventGraph, state: LedgerState) {
        self.events = [:]
        self.lookup = graph
        self.storeID = state.storeID
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
    }

    /// The event with `id`.
    func event(_ id: EventID) -> Event? {
        lookup?.event(id) ?? events[id]
    }

    /// The binding of a version (store, vault, entry, version, kind).
    ///
    /// - Parameters:
    ///   - version: The version.
    ///   - vault: Its vault.
    /// - Returns: The binding.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a malformed vault or version id.
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
    /// - Throws: ``EscrowError/Code/invalidInput`` for a malformed binding, path or coordinate.
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
            guard let event = event(version.deposit) else {
                throw EscrowError(.malformedFile, "deposit \(version.deposit.short) is missing")
            }
            let body = try depositBody(of: event)
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
                let (body, index) = try approvalBody(of: event)
                guard let position = index[version.id], let ephemeral = body.ephemeralKey else { continue }
                let contribution = body.contributions[position]
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

    /// The body of a deposit event, decoded once per reader.
    func depositBody(of event: Event) throws(EscrowError) -> DepositBody {
        if let body = cache.deposits[event.id] { return body }
        let body = try EventBody.decode(DepositBody.self, of: event)
        cache.deposits[event.id] = body
        return body
    }

    /// The body of an approval event with its contributions indexed by version id (the first for each version, as
    /// a scan would find), decoded once per reader.
    func approvalBody(of event: Event) throws(EscrowError) -> (body: ApprovalBody, index: [[UInt8]: Int]) {
        if let cached = cache.approvals[event.id] { return cached }
        let body = try EventBody.decode(ApprovalBody.self, of: event)
        var index: [[UInt8]: Int] = [:]
        for (position, contribution) in body.contributions.enumerated() where index[contribution.version.bytes] == nil {
            index[contribution.version.bytes] = position
        }
        cache.approvals[event.id] = (body, index)
        return (body, index)
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
        var result: [ShareComponent] = []
        var openers: [[UInt8]: ShareOpener] = [:]
        for component in try published(version, x: x) {
            let opener: ShareOpener
            if let cached = openers[component.ephemeralKey] {
                opener = cached
            } else {
                opener = try ShareOpener(boxKeys: boxKeys, ephemeralPublicKey: component.ephemeralKey)
                openers[component.ephemeralKey] = opener
            }
            let position = try position(of: version, in: vault, path: component.record.path, x: x)
            let value = try checked(
                { () throws(EscrowError) in try opener.open(component.record.sealed.bytes, position: position) },
                digest: component.digest,
                position: position,
                blame: "\(component.author)'s share of \(version.entry) (\(vault.name))"
            )
            result.append(ShareComponent(path: component.record.path, value: value))
        }
        return result
    }

    /// Opens a value and checks it against its digest, naming `blame` on failure.
    func checked(
        _ open: () throws(EscrowError) -> SecureBytes,
        digest: [UInt8],
        position: SharePosition,
        blame: String
    ) throws(EscrowError) -> SecureBytes {
        let value: SecureBytes
        do {
            value = try open()
        } catch {
            throw EscrowError(.badShare, "\(blame) does not open (sealed to another key or altered)")
        }
        guard ComponentDigest.matches(value: value, position: position, digest: digest) else {
            throw EscrowError(.badShare, "\(blame) does not match its published digest")
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
