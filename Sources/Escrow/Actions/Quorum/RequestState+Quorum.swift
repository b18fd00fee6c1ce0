extension RequestState {
    /// Whether the holder of `key` can add an approval that counts: it holds a share of a requested version (open,
    /// release), of any version of a target vault (re-split), or is a custodian of a target's policy (close, reopen).
    ///
    /// - Parameters:
    ///   - key: An Ed25519 public key.
    ///   - state: The store's folded state.
    /// - Returns: `true` if an approval by `key` would count for some target.
    public func canBeApproved(by key: [UInt8], in state: LedgerState) -> Bool {
        let action = QuorumActions.action(for: body.action)
        return body.targets.contains { target in
            state.vault(target.vault).map { action.isApprover(key, of: target, in: $0) } ?? false
        }
    }

    /// The progress of one target: per requested version (open, release) or for the vault (other actions).
    ///
    /// - Parameters:
    ///   - target: A target of the request.
    ///   - vault: Its vault as folded now.
    /// - Returns: The parts, in the target's order.
    public func tally(of target: RequestTarget, in vault: VaultState) -> [QuorumTally] {
        QuorumActions.action(for: body.action).tally(target, of: vault, request: self)
    }
}
