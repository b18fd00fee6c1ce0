/// The body of a `deposit.batch` event: several credential versions deposited at once, each the same record as the
/// body of a `deposit` event (sealed under its own key, that key dealt to the custodians of its vault's policy).
///
/// One signature and one file make the batch atomic: the store holds all of its deposits or none. The fold applies
/// to every item exactly the rules of a single `deposit` and refuses the whole event if any item breaks one.
public struct DepositBatchBody: Hashable, Sendable, Codable {
    /// The most deposits one event holds. Larger batches are split into several events, each atomic.
    public static let maximumItemCount = 1_000
    /// The largest encoded body a writer puts in one event (an event file is at most ``Event/maximumByteCount``).
    public static let maximumByteCount = 16 << 20

    /// The deposits, in order.
    public var deposits: [DepositBody]

    /// Creates a body.
    ///
    /// - Parameter deposits: The deposits, in order.
    public init(deposits: [DepositBody]) {
        self.deposits = deposits
    }
}
