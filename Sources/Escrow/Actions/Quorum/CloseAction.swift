/// Closing a vault: kept, but unlocks are refused unless forced with a recorded reason.
enum CloseAction: StatusAction {
    static let kind = RequestAction.close
    static let from = VaultStatus.active
    static let to = VaultStatus.closed
}
