/// A vault policy: `threshold` of the named custodians, each with the x-coordinate of its shares.
public struct PolicyRecord: Hashable, Sendable, Codable {
    /// One custodian of the policy.
    public struct Custodian: Hashable, Sendable, Codable {
        /// The custodian's name.
        public var name: String
        /// The custodian's Ed25519 public key.
        public var key: Base64Bytes
        /// The x-coordinate of the custodian's shares (1…255).
        public var x: UInt8

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - name: The custodian's name.
        ///   - key: The custodian's Ed25519 public key.
        ///   - x: The x-coordinate.
        public init(name: String, key: [UInt8], x: UInt8) {
            self.name = name
            self.key = Base64Bytes(key)
            self.x = x
        }
    }

    /// How many custodians must take part.
    public var threshold: Int
    /// The custodians, in x order.
    public var custodians: [Custodian]

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - threshold: How many custodians must take part.
    ///   - custodians: The custodians.
    public init(threshold: Int, custodians: [Custodian]) {
        self.threshold = threshold
        self.custodians = custodians.sorted { $0.x < $1.x }
    }

    /// The custodian holding `key`, if any.
    ///
    /// - Parameter key: An Ed25519 public key.
    /// - Returns: The policy entry.
    public func custodian(withKey key: [UInt8]) -> Custodian? {
        custodians.first { $0.key.bytes == key }
    }

    /// The custodian at `x`, if any.
    ///
    /// - Parameter x: An x-coordinate.
    /// - Returns: The policy entry.
    public func custodian(atX x: UInt8) -> Custodian? {
        custodians.first { $0.x == x }
    }

    /// Problems with the policy's shape (threshold, counts, coordinates, duplicate names or keys), as one line, or
    /// `nil` when it is well formed.
    public var shapeProblem: String? {
        let n = custodians.count
        guard n >= 2 else { return "a policy needs at least 2 custodians, it names \(n)" }
        guard n <= 255 else { return "a policy names at most 255 custodians, it names \(n)" }
        guard threshold >= 2 else { return "the threshold must be at least 2 (no single custodian opens a vault)" }
        guard threshold <= n else { return "the threshold \(threshold) is larger than the \(n) custodians" }
        guard !custodians.contains(where: { $0.x == 0 }) else { return "x-coordinate 0 is never used" }
        guard Set(custodians.map(\.x)).count == n else { return "two custodians share an x-coordinate" }
        guard Set(custodians.map(\.name)).count == n else { return "a custodian is named twice" }
        guard Set(custodians.map(\.key)).count == n else { return "a key is listed twice" }
        return nil
    }
}
