/// The body of a `roster` event: members added or removed and an optional new roster quorum, with the approvals of
/// enough current custodians over exactly this change.
public struct RosterBody: Hashable, Sendable, Codable {
    /// The roster head the proposal was made against (the genesis or the last roster event): a change proposed
    /// against an older roster does not apply.
    public var base: HexBytes
    /// Members to add.
    public var add: [MemberRecord]
    /// Ed25519 keys of members to remove.
    public var remove: [Base64Bytes]
    /// The new roster quorum, or `nil` to keep it.
    public var quorum: Int?
    /// Signatures of custodians over ``proposalMessage(store:)``.
    public var approvals: [Endorsement]

    /// Creates a body.
    ///
    /// - Parameters:
    ///   - base: The roster head.
    ///   - add: Members to add.
    ///   - remove: Keys of members to remove.
    ///   - quorum: The new quorum, if it changes.
    ///   - approvals: The endorsements collected so far.
    public init(base: [UInt8], add: [MemberRecord], remove: [[UInt8]], quorum: Int?, approvals: [Endorsement]) {
        self.base = HexBytes(base)
        self.add = add
        self.remove = remove.map(Base64Bytes.init)
        self.quorum = quorum
        self.approvals = approvals
    }

    /// The bytes each approving custodian signs: the store, the base, and the canonical JSON of the change.
    ///
    /// - Parameter store: The store id.
    /// - Returns: The message.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the change cannot be encoded.
    public func proposalMessage(store: [UInt8]) throws(EscrowError) -> [UInt8] {
        let change = try JSONCoding.encode(
            RosterBody(
                base: base.bytes,
                add: add,
                remove: remove.map(\.bytes),
                quorum: quorum,
                approvals: []
            )
        )
        var encoder = BindingEncoder(context: "escrow-roster-approval-v2")
        encoder.append(store)
        encoder.append(JSONWriter.canonical(change.removing("approvals")))
        return encoder.bytes
    }
}
