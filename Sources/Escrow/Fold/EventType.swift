/// The event types of store v2 (the `type` member of an event).
public enum EventType: String, Hashable, Sendable, CaseIterable {
    /// The store's first event.
    case genesis
    /// Members added or removed, or the roster quorum changed, with a roster quorum's endorsements.
    case roster
    /// A vault created with its first policy.
    case vaultCreate = "vault.create"
    /// A custodian acknowledges custody (of a new vault's policy or of a re-split that adds it).
    case custody
    /// A credential version deposited, its key dealt.
    case deposit
    /// Several credential versions deposited at once (atomically), each as in a `deposit` event.
    case depositBatch = "deposit.batch"
    /// A quorum request.
    case request
    /// A custodian's approval of a request.
    case approval
    /// A request carried out.
    case execution
    /// Refused attempts at quorum actions and wrong passphrases, published by the member concerned.
    case attempt
}
