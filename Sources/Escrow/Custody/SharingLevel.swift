/// One re-split level still present in a version's components: which execution made it, which old holders
/// contributed, and how many of them any rebuild combines.
///
/// Any ``threshold``-subset `S` of ``contributors`` gives a sharing of the key:
/// `Σ_{i∈S} λ_i^S · g_i(x')`, with `λ_i^S` the Lagrange weights of `S` at 0.
public struct SharingLevel: Hashable, Sendable {
    /// The event id of the re-split execution (32 bytes).
    public let resplit: [UInt8]
    /// The old holders' x-coordinates that contributed, sorted ascending.
    public let contributors: [UInt8]
    /// The old threshold: the size of the subset a rebuild or a consolidation combines.
    public let threshold: Int

    /// Creates a level.
    ///
    /// - Parameters:
    ///   - resplit: The event id of the re-split execution (32 bytes).
    ///   - contributors: The contributors' x-coordinates, in any order (they are sorted).
    ///   - threshold: The old threshold, `2...contributors.count`.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a re-split id that is not 32 bytes, a contributor 0 or
    ///   repeated, or a threshold out of range.
    public init(resplit: [UInt8], contributors: [UInt8], threshold: Int) throws(EscrowError) {
        guard resplit.count == SharePosition.resplitIDCount else {
            throw EscrowError(
                .invalidInput,
                "a re-split id has \(SharePosition.resplitIDCount) bytes, not \(resplit.count)"
            )
        }
        let what = "re-split \(CustodyText.shortHex(resplit))"
        try CustodyValidation.coordinates(contributors, what)
        try CustodyValidation.policy(threshold: threshold, count: contributors.count, what)
        self.resplit = resplit
        self.contributors = contributors.sorted()
        self.threshold = threshold
    }

    /// `re-split 3fa1… with contributors x=1,2,4` for messages.
    var label: String {
        "re-split \(CustodyText.shortHex(resplit)) with contributors \(CustodyText.coordinates(contributors))"
    }

    /// Throws `invalidInput` unless `subset` is a `threshold`-subset of the contributors; returns it sorted.
    func checkSubset(_ subset: [UInt8]) throws(EscrowError) -> [UInt8] {
        let sorted = subset.sorted()
        guard sorted.count == threshold, Set(sorted).count == threshold, sorted.allSatisfy(contributors.contains)
        else {
            throw EscrowError(
                .invalidInput,
                "\(label): the subset \(CustodyText.coordinates(sorted)) is not \(threshold) distinct contributors"
            )
        }
        return sorted
    }
}
