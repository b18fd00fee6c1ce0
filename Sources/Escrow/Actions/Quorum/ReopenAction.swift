/// Reopening a closed vault.
enum ReopenAction: StatusAction {
    static let kind = RequestAction.reopen
    static let from = VaultStatus.closed
    static let to = VaultStatus.active
}
