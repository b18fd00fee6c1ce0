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

    /// Makes the `deposit.batch` events of a batch: one event (one signature, one file) per chunk of at most
    /// ``DepositBatchBody/maximumItemCount`` deposits (and about ``DepositBatchBody/maximumByteCount`` bytes), each
    /// chunk on top of the previous one, so the whole batch is appended at once with ``append(_:)``. Each event is
    /// atomic: the store holds all of its deposits or none (a process killed while writing several chunks leaves a
    /// prefix of whole chunks). Nothing is written and the ledger's state is unchanged when this returns or throws.
    ///
    /// The deposits are checked in order on the calling thread, in waves of 1,024, and each wave is
    /// dealt on every core (``Dealer/deal(_:using:)``: the polynomial coefficients drawn from `random` in the order
    /// of the deposits, every version with its own key and ephemeral key); the recipients of each vault's policy are
    /// prepared once per vault.
    ///
    /// - Parameters:
    ///   - deposits: The deposits, in order.
    ///   - depositor: A custodian or depositor.
    ///   - time: The events' time.
    ///   - random: The polynomial randomness (libsodium's in production).
    /// - Returns: The chained events (not yet appended), one per chunk.
    /// - Throws: ``EscrowError`` naming the first deposit (1-based position) the store would refuse.
    /// - Complexity: O(deposits) plus the dealing (six X25519 operations per deposit of a 3-of-5 vault, on every
    ///   core); independent of the store's size. Guarded memory: one small arena per worker and one for the
    ///   coefficients of a wave.
    public func depositBatch(
        _ deposits: [BatchDeposit],
        by depositor: CustodianIdentity,
        at time: UTCTime,
        random: inout some RandomSource
    ) throws(EscrowError) -> [Event] {
        try depositBatch(
            deposits,
            by: depositor,
            at: time,
            random: &random,
            itemsPerEvent: DepositBatchBody.maximumItemCount
        )
    }

    /// ``depositBatch(_:by:at:random:)`` with at most `itemsPerEvent` deposits per event and `waveCount` deposits
    /// dealt at once (tests use small chunks and waves).
    func depositBatch(
        _ deposits: [BatchDeposit],
        by depositor: CustodianIdentity,
        at time: UTCTime,
        random: inout some RandomSource,
        itemsPerEvent: Int,
        waveCount: Int = Dealer.waveCount
    ) throws(EscrowError) -> [Event] {
        precondition((1...DepositBatchBody.maximumItemCount).contains(itemsPerEvent), "a chunk holds 1 to 1,000 items")
        precondition((1...Dealer.waveCount).contains(waveCount), "a wave holds 1 to \(Dealer.waveCount) deposits")
        fold.beginTrial()
        defer { fold.rollBack() }
        var events: [Event] = []
        var chunk: [DepositBody] = []
        var chunkStart = 0
        var chunkBytes = 0
        // Kinds of entries deposited earlier in the batch (the state shows those of earlier chunks only).
        var kinds: [String: [String: EntryKind]] = [:]

        func close() throws(EscrowError) {
            guard !chunk.isEmpty else { return }
            let event = try self.event(
                .depositBatch,
                body: DepositBatchBody(deposits: chunk),
                by: depositor,
                at: time
            )
            let label =
                chunk.count == deposits.count
                ? "the batch" : "deposits \(chunkStart + 1)-\(chunkStart + chunk.count) of the batch"
            switch try fold.applyOnTop([event]) {
            case .applied: break
            case .refused(let refusal): throw EscrowError(.notAuthorized, "\(label): \(refusal.message)")
            case .notOnTop: throw EscrowError(.tampered, "\(label) does not fit on top of the store's graph")
            }
            events.append(event)
            chunkStart += chunk.count
            chunk = []
            chunkBytes = 0
        }

        var recipients = RecipientsCache()
        var waveStart = 0
        while waveStart < deposits.count {
            let waveEnd = min(waveStart + waveCount, deposits.count)
            // Check and plan the wave's deposits in order on this thread, up to the first the store would refuse.
            var plans: [DepositPlan] = []
            var refusal: EscrowError?
            for index in waveStart..<waveEnd {
                let item = deposits[index]
                do throws(EscrowError) {
                    if let earlier = kinds[item.vault]?[item.entry], earlier != item.kind {
                        throw EscrowError(
                            .invalidInput,
                            "entry '\(item.entry)' of '\(item.vault)' holds \(earlier.rawValue) values, not "
                                + item.kind.rawValue
                        )
                    }
                    plans.append(
                        try depositPlan(
                            item.value,
                            into: item.vault,
                            entry: item.entry,
                            kind: item.kind,
                            metadata: item.metadata,
                            by: depositor,
                            recipients: &recipients
                        )
                    )
                } catch {
                    refusal = EscrowError(error.code, "deposit \(index + 1) of the batch: \(error.message)")
                    break
                }
                kinds[item.vault, default: [:]][item.entry] = item.kind
            }
            // Deal them on every core (coefficients drawn from `random` in order, as one after another would).
            let dealt = Dealer.deal(plans.map(\.job), using: &random)
            // Then in order: the first deposit that could not be dealt, else its record into the current chunk.
            for (offset, plan) in plans.enumerated() {
                let version: DealtVersion
                do throws(EscrowError) {
                    version = try dealt[offset].get()
                } catch {
                    throw EscrowError(error.code, "deposit \(waveStart + offset + 1) of the batch: \(error.message)")
                }
                let record = plan.record(version)
                let size = Self.estimatedByteCount(record)
                if chunk.count == itemsPerEvent
                    || (!chunk.isEmpty && chunkBytes + size > DepositBatchBody.maximumByteCount)
                {
                    try close()
                }
                chunk.append(record)
                chunkBytes += size
            }
            if let refusal { throw refusal }
            waveStart = waveEnd
        }
        try close()
        return events
    }

    /// An upper bound of a deposit record's encoded size (base64 and hex expand by 4/3 and 2; names and metadata may
    /// need escapes).
    private static func estimatedByteCount(_ record: DepositBody) -> Int {
        var count = 1_024 + 6 * (record.vault.name.utf8.count + record.entry.utf8.count)
        count += 2 * record.sealedValue.bytes.count
        for (key, value) in record.metadata { count += 6 * (key.utf8.count + value.utf8.count) + 8 }
        for share in record.shares { count += 2 * share.sealed.bytes.count + 256 }
        return count
    }
}
