/// One target of a request with its vault as folded now.
struct QuorumTarget {
    /// The target as the requester bound it.
    let target: RequestTarget
    /// The vault (at the target's generation).
    let vault: VaultState
}
