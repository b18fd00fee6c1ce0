/// What someone wants a quorum to do, in the words of the command line: the action, the vault, the entries, the
/// customer or the new policy, the reason. ``Store/makeRequest(_:by:lifetime:)`` turns it into a signed request after
/// checking it against the store; ``Store/runCeremony(_:custodians:using:deliver:)`` executes it with the custodians
/// present.
public struct UnlockIntent: Sendable {
    /// What to do.
    public var action: UnlockAction
    /// The vault's name.
    public var vaultName: String
    /// The entries to open (`open`).
    public var entries: [String]
    /// The customer receiving the bundle (`release`).
    public var customer: PublicIdentity?
    /// The new threshold (`reshare`).
    public var newThreshold: Int
    /// The new custodians by name, in x-coordinate order (`reshare`).
    public var newCustodians: [String]
    /// Why (required; recorded in the request and the audit log).
    public var reason: String
    /// Why a closed vault is unlocked anyway (`--force`); must be absent for an active vault.
    public var forceReason: String?

    private init(action: UnlockAction, vaultName: String, reason: String, forceReason: String?) {
        self.action = action
        self.vaultName = vaultName
        entries = []
        customer = nil
        newThreshold = 0
        newCustodians = []
        self.reason = reason
        self.forceReason = forceReason
    }

    /// Open entries.
    ///
    /// - Parameters:
    ///   - vault: The vault name.
    ///   - entries: The entry names.
    ///   - reason: Why.
    ///   - forceReason: Why a closed vault is opened anyway.
    /// - Returns: The intent.
    public static func open(vault: String, entries: [String], reason: String, forceReason: String? = nil)
        -> UnlockIntent
    {
        var intent = UnlockIntent(action: .open, vaultName: vault, reason: reason, forceReason: forceReason)
        intent.entries = entries
        return intent
    }

    /// Release the vault to its customer.
    ///
    /// - Parameters:
    ///   - vault: The vault name.
    ///   - customer: The customer's public identity.
    ///   - reason: Why.
    ///   - forceReason: Why a closed vault is released anyway.
    /// - Returns: The intent.
    public static func release(vault: String, to customer: PublicIdentity, reason: String, forceReason: String? = nil)
        -> UnlockIntent
    {
        var intent = UnlockIntent(action: .release, vaultName: vault, reason: reason, forceReason: forceReason)
        intent.customer = customer
        return intent
    }

    /// Re-split the vault to a new policy.
    ///
    /// - Parameters:
    ///   - vault: The vault name.
    ///   - threshold: The new threshold.
    ///   - custodians: The new custodians (roster names), in x-coordinate order.
    ///   - reason: Why.
    ///   - forceReason: Why a closed vault is re-split anyway.
    /// - Returns: The intent.
    public static func reshare(
        vault: String,
        threshold: Int,
        custodians: [String],
        reason: String,
        forceReason: String? = nil
    ) -> UnlockIntent {
        var intent = UnlockIntent(action: .reshare, vaultName: vault, reason: reason, forceReason: forceReason)
        intent.newThreshold = threshold
        intent.newCustodians = custodians
        return intent
    }
}
