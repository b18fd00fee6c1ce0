import Sodium

/// What a release hands to the customer: the release request, its approvals (each re-sealing the approver's shares
/// to the customer's key), and the deposits and re-split approvals the values come from, as the store's own signed
/// event files, plus a summary of each version's sharing.
///
/// The executor who writes the bundle sees no value: every share in it is sealed to the customer. The customer opens
/// it with ``open(with:)``, which checks each event's id and signature, that the request is a release to this
/// customer's key, each value against the digest its author signed, and each rebuilt key against the depositor's
/// signed commitment before decrypting.
public struct CustomerBundle: Hashable, Sendable, Codable {
    /// `escrow-release-bundle`.
    public static let format = "escrow-release-bundle"
    /// 2.
    public static let version: Int64 = 2

    /// The format name.
    public var format: String
    /// The format version.
    public var version: Int64
    /// The store id.
    public var store: HexBytes
    /// The released vault.
    public var vault: VaultReference
    /// Public account data.
    public var metadata: [String: String]
    /// The release request event.
    public var request: HexBytes
    /// The versions released.
    public var versions: [VersionSummary]
    /// The event files (request, approvals, deposits, re-split approvals), base64url of their exact bytes.
    public var events: [Base64Bytes]

    /// Creates a bundle.
    ///
    /// - Parameters:
    ///   - store: The store id.
    ///   - vault: The vault.
    ///   - metadata: Public account data.
    ///   - request: The release request.
    ///   - versions: The versions.
    ///   - events: The events.
    public init(
        store: [UInt8],
        vault: VaultReference,
        metadata: [String: String],
        request: EventID,
        versions: [VersionSummary],
        events: [Event]
    ) {
        format = Self.format
        version = Self.version
        self.store = HexBytes(store)
        self.vault = vault
        self.metadata = metadata
        self.request = HexBytes(request.bytes)
        self.versions = versions
        self.events = events.sorted { $0.id < $1.id }.map { Base64Bytes($0.bytes) }
    }

    /// The canonical file bytes.
    ///
    /// - Returns: Pretty canonical JSON.
    /// - Throws: ``EscrowError/Code/malformedFile`` if it cannot be encoded.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(self))
    }

    /// Parses a bundle file strictly.
    ///
    /// - Parameters:
    ///   - bytes: The file.
    ///   - source: Its name for messages.
    /// - Returns: The bundle.
    /// - Throws: ``EscrowError`` for a malformed file or another format/version.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> CustomerBundle {
        try VersionedDocument.decode(
            CustomerBundle.self,
            from: bytes,
            format: format,
            version: version,
            source: source
        ).document
    }

    /// Opens the bundle with the customer's identity.
    ///
    /// - Parameter customer: The customer's identity (its X25519 key is the release's recipient).
    /// - Returns: The released versions.
    /// - Throws: ``EscrowError/Code/tampered`` for an event that fails its id or signature or belongs elsewhere,
    ///   ``EscrowError/Code/notAuthorized`` if the release is not addressed to this customer, or the rebuild's
    ///   errors (naming the approver or contributor of a bad value).
    public func open(with customer: CustodianIdentity) throws(EscrowError) -> [OpenedVersion] {
        var byID: [EventID: Event] = [:]
        for (index, data) in events.enumerated() {
            let event = try Event.decode(data.bytes, source: "bundle event \(index + 1)")
            guard event.store == store.bytes else {
                throw EscrowError(.tampered, "bundle event \(event.id.short) belongs to another store")
            }
            byID[event.id] = event
        }
        let requestID = try EventID(bytes: request.bytes)
        guard let requestEvent = byID[requestID], requestEvent.type == EventType.request.rawValue else {
            throw EscrowError(.tampered, "the bundle lacks its release request")
        }
        let body = try EventBody.decode(RequestBody.self, of: requestEvent)
        let boxKeys = try customer.boxKeyPair()
        guard body.action == .release, body.recipient?.key.bytes == boxKeys.publicKey,
            body.targets.contains(where: { $0.vault == vault })
        else {
            throw EscrowError(
                .notAuthorized,
                "this bundle is not a release of '\(vault.name)' to \(customer.publicIdentity.name)"
            )
        }
        let approvals = byID.values.filter { event in
            guard event.type == EventType.approval.rawValue,
                let approval = try? EventBody.decode(ApprovalBody.self, of: event)
            else { return false }
            return approval.request.bytes == request.bytes
        }
        let rebuilder = VersionRebuilder(held: HeldShares(events: byID, storeID: store.bytes))
        var opened: [OpenedVersion] = []
        let decodedDeposits = DecodedDeposits()
        for summary in versions {
            guard let depositEvent = byID[try EventID(bytes: summary.deposit.bytes)] else {
                throw EscrowError(.tampered, "the bundle lacks the deposit of \(summary.entry)")
            }
            let deposit: DepositBody
            do {
                deposit = try decodedDeposits.record(of: summary.version.bytes, in: depositEvent)
            } catch {
                throw EscrowError(.tampered, "the deposit of \(summary.entry) is for another version or vault")
            }
            guard deposit.version == summary.version, deposit.vault == vault else {
                throw EscrowError(.tampered, "the deposit of \(summary.entry) is for another version or vault")
            }
            var used: Set<EventID> = []
            let result = try rebuilder.rebuild(
                try summary.state(commitment: deposit.commitment.bytes, metadata: deposit.metadata),
                in: vault,
                approvals: approvals,
                keys: boxKeys,
                used: &used
            )
            opened.append(result.opened)
        }
        return opened
    }
}
