/// What one user's machine remembers about one store, kept outside the store (the CLI chooses the directory; see
/// ``TrustFile``): the pinned genesis and the heads seen at the last successful command (the high-water mark).
///
/// Whoever can write the store can delete events from it; only a reader's memory notices. ``check(_:)`` refuses a
/// store whose genesis is not the pinned one or that lacks an event this machine has seen.
public struct TrustState: Hashable, Sendable {
    /// The 16-byte store id.
    public let store: [UInt8]
    /// The pinned genesis event (checked out of band at first contact).
    public let genesis: EventID
    /// The heads at the last successful command, sorted.
    public let seen: [EventID]

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - store: The 16-byte store id.
    ///   - genesis: The pinned genesis.
    ///   - seen: The high-water mark (sorted and deduplicated here).
    public init(store: [UInt8], genesis: EventID, seen: [EventID]) {
        self.store = store
        self.genesis = genesis
        self.seen = Set(seen).sorted()
    }

    /// The state of first contact: pins the graph's genesis and records its heads.
    ///
    /// - Parameter graph: The store's graph; show ``EventID/fingerprint`` of its genesis so that it can be checked out
    ///   of band before trusting it.
    public init(pinning graph: EventGraph) {
        self.init(store: graph.store, genesis: graph.genesis.id, seen: graph.heads)
    }

    /// Checks a store's graph against this machine's memory of it.
    ///
    /// - Parameter graph: The store's graph.
    /// - Throws: ``EscrowError/Code/tampered`` if the genesis is not the pinned one (showing both fingerprints) or if
    ///   an event seen before is missing (naming the missing ids); ``EscrowError/Code/invalidInput`` if the graph is
    ///   of another store.
    /// - Complexity: O(s) dictionary lookups for s seen events.
    public func check(_ graph: EventGraph) throws(EscrowError) {
        guard graph.store == store else {
            throw EscrowError(
                .invalidInput,
                "this trust record is for store \(Hex.encode(store)), not for store \(Hex.encode(graph.store))"
            )
        }
        guard graph.genesis.id == genesis else {
            throw EscrowError(
                .tampered,
                "the store's genesis \(graph.genesis.id.fingerprint) is not the one this machine pinned "
                    + "(\(genesis.fingerprint)): do not use it; to re-pin deliberately, check the new fingerprint "
                    + "with the other custodians out of band, then remove this store's trust record and run the "
                    + "command again"
            )
        }
        let missing = seen.filter { !graph.contains($0) }
        guard missing.isEmpty else {
            throw EscrowError(
                .tampered,
                "the store lacks \(missing.count) event(s) this machine has seen: "
                    + "\(missing.map(\.short).joined(separator: ", ")); it was rolled back or its tail was cut — "
                    + "do not use it; fetch from a trusted clone or compare with your anchor"
            )
        }
    }

    /// The state after a successful command on `graph`: the same pin, and the graph's heads as the new high-water mark.
    ///
    /// - Parameter graph: A graph that passed ``check(_:)``.
    /// - Returns: The new state.
    public func updated(with graph: EventGraph) -> TrustState {
        TrustState(store: store, genesis: genesis, seen: graph.heads)
    }
}
