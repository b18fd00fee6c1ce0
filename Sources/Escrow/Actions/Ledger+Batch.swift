import Shamir
import Sodium

extension Ledger {
    /// One credential of a batch deposit: the value (guarded memory), where it goes and its public metadata.
    public struct BatchDeposit: Sendable {
        /// The credential value.
        public var value: SecureBytes
        /// The vault's name.
        public var vault: String
        /// The entry's name.
        public var entry: String
        /// The entry's kind.
        public var kind: EntryKind
        /// Public data about the version.
        public var metadata: [String: String]

        /// Describes one deposit of a batch.
        ///
        /// - Parameters:
        ///   - value: The credential value.
        ///   - vault: The vault.
        ///   - entry: The entry.
        ///   - kind: The entry's kind.
        ///   - metadata: Public data about the version.
        public init(value: SecureBytes, vault: String, entry: String, kind: EntryKind, metadata: [String: String] = [:])
        {
            self.value = value
            self.vault = vault
            self.entry = entry
            self.kind = kind
            self.metadata = metadata
        }
    }

    /// Makes the `deposit` events of a batch, each on top of the previous one (its parents are the heads left by the
    /// previous deposit, its `previous` the depositor's previous deposit), so the whole batch is appended at once with
    /// ``append(_:)``. Nothing is written and the ledger's state is unchanged when this returns or throws.
    ///
    /// - Parameters:
    ///   - deposits: The deposits, in order.
    ///   - depositor: A custodian or depositor.
    ///   - time: The events' time.
    ///   - random: The polynomial randomness (libsodium's in production).
    /// - Returns: The chained events (not yet appended).
    /// - Throws: ``EscrowError`` naming the first deposit (1-based position) the store would refuse.
    public func depositBatch(
        _ deposits: [BatchDeposit],
        by depositor: CustodianIdentity,
        at time: UTCTime,
        random: inout some RandomSource
    ) throws(EscrowError) -> [Event] {
        let savedGraph = graph
        let savedFold = fold
        let savedState = state
        defer {
            graph = savedGraph
            fold = savedFold
            state = savedState
        }
        var events: [Event] = []
        for (index, item) in deposits.enumerated() {
            let event: Event
            do {
                event = try deposit(
                    item.value,
                    into: item.vault,
                    entry: item.entry,
                    kind: item.kind,
                    metadata: item.metadata,
                    by: depositor,
                    at: time,
                    random: &random
                )
            } catch {
                throw EscrowError(error.code, "deposit \(index + 1) of the batch: \(error.message)")
            }
            let nextGraph = try graph.adding([event])
            fold.graphForTrial(nextGraph)
            let before = fold.state.findings.count
            fold.apply(event)
            if let refusal = fold.state.findings.dropFirst(before).first(where: { $0.isViolation }) {
                throw EscrowError(.notAuthorized, "deposit \(index + 1) of the batch: \(refusal.message)")
            }
            graph = nextGraph
            state = fold.state
            events.append(event)
        }
        return events
    }
}
