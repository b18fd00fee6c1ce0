extension SLIP39 {
    /// The policy of one group: `memberThreshold` of its `memberCount` member shares recover the group share.
    ///
    /// SLIP-0039 allows 1 to 16 members, and a group of threshold 1 has exactly one member (its share can be
    /// copied to several people); ``SLIP39/split(_:groupThreshold:groups:passphrase:iterationExponent:extendable:using:)``
    /// enforces both.
    public struct Group: Hashable, Sendable, CustomStringConvertible {
        /// Member shares needed to recover the group share (*T*ᵢ).
        public var memberThreshold: Int
        /// Member shares made for the group (*N*ᵢ).
        public var memberCount: Int

        /// Creates a `memberThreshold`-of-`memberCount` group policy (validated when splitting).
        ///
        /// - Parameters:
        ///   - memberThreshold: Member shares needed, `1...memberCount`.
        ///   - memberCount: Member shares made, `1...16`.
        public init(memberThreshold: Int, memberCount: Int) {
            self.memberThreshold = memberThreshold
            self.memberCount = memberCount
        }

        /// `T of N`, e.g. `2 of 3`.
        public var description: String { "\(memberThreshold) of \(memberCount)" }
    }
}
