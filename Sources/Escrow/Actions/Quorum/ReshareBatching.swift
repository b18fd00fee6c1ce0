/// How a re-split of many vaults is cut into requests of bounded size.
///
/// Every approver of a re-split sub-shares every share it holds in the request's vaults, for every new custodian,
/// in one approval event; a new custodian's later consolidation writes as many values. So the size of every event
/// (and the memory of every approver) grows with the request: a request over every vault of a large store would
/// exceed the ``Event`` size limit. Cut by *weight* — the credential versions a vault holds (every version is
/// re-split, old ones included) times the new policy's custodians — a request stays near
/// ``defaultMaximumWeight`` (about 70 MB per approval at 3-of-5, whatever the store's size). Each vault lies whole
/// in one request; a vault heavier than the limit gets a request of its own.
public enum ReshareBatching {
    /// The default weight of one request: 150,000 new shares (30,000 versions re-split for five custodians: a
    /// 10,000-vault store with three credentials each).
    public static let defaultMaximumWeight = 150_000

    /// The weight of re-splitting `target`: the versions of its vault times the new policy's custodians (1 for a
    /// vault with no version, so that vaults without credentials are still bounded in number).
    ///
    /// - Parameters:
    ///   - target: A re-split target.
    ///   - state: The folded store.
    /// - Returns: The weight.
    public static func weight(of target: RequestTarget, in state: LedgerState) -> Int {
        let versions = state.vault(target.vault)?.allVersions.count ?? 0
        let custodians = target.policy?.custodians.count ?? 1
        return max(1, versions * custodians)
    }

    /// Cuts `targets` into consecutive groups whose weights add up to at most `maximumWeight` (a single heavier
    /// target forms a group of its own), keeping their order.
    ///
    /// - Parameters:
    ///   - targets: The re-split targets, in the order they should be requested.
    ///   - state: The folded store.
    ///   - maximumWeight: The largest weight of one group (at least 1).
    /// - Returns: The groups; empty for no targets.
    public static func batches(
        _ targets: [RequestTarget],
        in state: LedgerState,
        maximumWeight: Int = defaultMaximumWeight
    ) -> [[RequestTarget]] {
        cut(targets.map { weight(of: $0, in: state) }, maximumWeight: maximumWeight).map { Array(targets[$0]) }
    }

    /// Cuts items of `weights` into consecutive ranges, each as long as it stays within `maximumWeight` (an item
    /// heavier than that alone).
    ///
    /// - Parameters:
    ///   - weights: The items' weights (each at least 1).
    ///   - maximumWeight: The largest weight of one range (taken as at least 1).
    /// - Returns: The ranges, covering `weights.indices` in order.
    static func cut(_ weights: [Int], maximumWeight: Int) -> [Range<Int>] {
        let limit = max(1, maximumWeight)
        var ranges: [Range<Int>] = []
        var start = 0
        var total = 0
        for (index, weight) in weights.enumerated() {
            if index > start, total + weight > limit {
                ranges.append(start..<index)
                start = index
                total = 0
            }
            total += weight
        }
        if start < weights.count { ranges.append(start..<weights.count) }
        return ranges
    }
}
