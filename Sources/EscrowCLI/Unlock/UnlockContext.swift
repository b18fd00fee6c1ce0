import Escrow

/// Store checks every unlock command shares: opening the store with a next step when the copy lacks events another
/// event names (a withheld or not yet synced event), and the approvers' recent-sync rule.
enum UnlockContext {
    /// Opens the store like ``StoreOptions/open()``; a missing parent is reported with the sync advice.
    ///
    /// - Parameter options: The store options.
    /// - Returns: The context.
    /// - Throws: ``CLIError`` naming the missing event, or what opening throws.
    static func open(_ options: StoreOptions) throws -> StoreContext {
        do {
            return try options.open()
        } catch let error as EscrowError where error.code == .notFound {
            throw CLIError(
                "\(error.message); run 'escrow sync' — your copy may be behind (or an event was withheld from "
                    + "it): approve nothing until the missing event is in your copy"
            )
        }
    }

    /// Refuses an approval in a git-shared store whose last successful `escrow sync` is older than 15 minutes,
    /// unless `offline` (which is said on screen).
    ///
    /// - Parameters:
    ///   - context: The open store.
    ///   - offline: `--offline`.
    ///   - now: The current time.
    /// - Throws: ``CLIError`` naming the last sync time.
    static func checkFreshSync(_ context: StoreContext, offline: Bool, now: UTCTime) throws {
        guard context.git != nil else { return }
        if offline {
            Console.warning("--offline: not checking that this copy was synced recently; compare the heads fingerprint")
            return
        }
        let last = SyncRecord.load(stateDirectory: context.stateDirectory, store: context.ledger.state.storeID)
        guard let last, now.secondsSinceEpoch - last.secondsSinceEpoch <= SyncRecord.maximumAge else {
            throw CLIError(
                "your copy of the store was last synced "
                    + (last.map { "at \($0)" } ?? "never on this machine")
                    + ": run 'escrow sync' first (or pass --offline to approve anyway)"
            )
        }
    }
}
