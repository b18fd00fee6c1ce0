/// The body of the `genesis` event: it fixes the store and its first member.
public struct GenesisBody: Hashable, Sendable, Codable {
    /// A label for people (e.g. `acme-msp`); the store id is the event's `store` member.
    public var storeName: String
    /// How many custodians must approve a roster change.
    public var rosterQuorum: Int
    /// The founder, a custodian, who signs the genesis.
    public var founder: MemberRecord

    enum CodingKeys: String, CodingKey {
        case founder
        case storeName = "store_name"
        case rosterQuorum = "roster_quorum"
    }

    /// Creates the body.
    ///
    /// - Parameters:
    ///   - storeName: The store's label.
    ///   - rosterQuorum: The roster quorum.
    ///   - founder: The founder.
    public init(storeName: String, rosterQuorum: Int, founder: MemberRecord) {
        self.storeName = storeName
        self.rosterQuorum = rosterQuorum
        self.founder = founder
    }
}
