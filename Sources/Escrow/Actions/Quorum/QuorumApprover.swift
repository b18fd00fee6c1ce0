import Sodium

/// The custodian approving a request, with what it needs to open its own values and seal them again.
struct QuorumApprover {
    /// The store.
    let ledger: Ledger
    /// The request approved.
    let request: RequestState
    /// The approver's Ed25519 public key.
    let key: [UInt8]
    /// The approver's X25519 key pair.
    let boxKeys: BoxKeyPair
    /// The approval's sealer (its ephemeral key goes in the approval).
    let sealer: ShareSealer
}
