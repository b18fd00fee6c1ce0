/// The store's state: the deterministic fold of its events (see ``Fold``). Nothing else is trusted.
public struct LedgerState: Sendable {
    /// The store id (from the genesis).
    public var storeID: [UInt8]
    /// The store's label.
    public var storeName: String
    /// The genesis event (what users pin).
    public var genesis: EventID
    /// How many custodians approve a roster change.
    public var rosterQuorum: Int
    /// The last applied roster event (or the genesis): roster proposals name it as their base.
    public var rosterHead: EventID
    /// Current members by Ed25519 key.
    public var members: [[UInt8]: MemberState]
    /// Keys of removed members (never admitted again).
    public var formerKeys: Set<[UInt8]>
    /// Vaults by id (hex).
    public var vaults: StateDictionary<VaultState>
    /// Vault ids by name; names are never reused, even after release.
    public var vaultNames: StateDictionary<String>
    /// Version ids ever used (a version id is unique in the store).
    public var versionIDs: StateKeySet
    /// Requests by event.
    public var requests: [EventID: RequestState]
    /// Request ids ever used.
    public var requestIDs: Set<[UInt8]>
    /// What the fold refused or noted, in canonical order.
    public var findings: [Finding]
    /// Each author's latest event in canonical order (a new event names it as `previous`).
    public var latestByAuthor: [[UInt8]: EventID]
    /// How many events were folded.
    public var eventCount: Int

    /// The current custodians, sorted by name.
    public var custodians: [MemberState] {
        members.values.filter { $0.role == .custodian }.sorted { $0.identity.name < $1.identity.name }
    }

    /// The current member named `name`.
    ///
    /// - Parameter name: A member name.
    /// - Returns: The member, if current.
    public func member(named name: String) -> MemberState? {
        members.values.first { $0.identity.name == name }
    }

    /// The vault named `name`.
    ///
    /// - Parameter name: A vault name.
    /// - Returns: The vault.
    public func vault(named name: String) -> VaultState? {
        vaultNames[name].flatMap { vaults[$0] }
    }

    /// The vault a reference names, if the reference's id and name agree with the store.
    ///
    /// - Parameter reference: A vault reference from an event.
    /// - Returns: The vault.
    public func vault(_ reference: VaultReference) -> VaultState? {
        guard let vault = vaults[Hex.encode(reference.id.bytes)], vault.reference.name == reference.name else {
            return nil
        }
        return vault
    }

    /// Findings that are refusals (events without authority).
    public var violations: [Finding] { findings.filter(\.isViolation) }
}
