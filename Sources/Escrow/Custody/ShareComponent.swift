import Sodium

/// One value a holder keeps for a version: a dealt share (empty ``path``) or a sub-share from a re-split, named by
/// the contributors of every level still present (oldest first).
///
/// Equality compares the values in constant time. There is deliberately no `Hashable`: hashing would feed secret
/// bytes to a non-constant-time hash.
public struct ShareComponent: Equatable, Sendable {
    /// The contributors, one per level, oldest first; empty for a dealt share.
    public var path: [UInt8]
    /// The 32-byte value, in guarded memory.
    public var value: SecureBytes

    /// Creates a component.
    ///
    /// - Parameters:
    ///   - path: The contributors, oldest level first.
    ///   - value: The 32-byte value.
    public init(path: [UInt8], value: SecureBytes) {
        self.path = path
        self.value = value
    }
}
