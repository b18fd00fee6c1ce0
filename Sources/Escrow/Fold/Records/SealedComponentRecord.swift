/// One share value (or one component of a redistributed share) sealed to its holder, with the digest its author
/// signed: the holder's x-coordinate, the component's path (one contributor per unresolved re-split level), the
/// sealed value and its digest.
public struct SealedComponentRecord: Hashable, Sendable, Codable {
    /// The holder's x-coordinate.
    public var x: UInt8
    /// One contributor x-coordinate per unresolved re-split level, oldest first (empty for a dealt share).
    public var path: [UInt8]
    /// The value sealed to the holder (or to a request's recipient).
    public var sealed: Base64Bytes
    /// BLAKE2b digest of the value at its position, or `nil` where the value's digest is published elsewhere (an
    /// approval re-sealing a share: the opener checks the digest its author published).
    public var digest: HexBytes?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - x: The holder's x-coordinate.
    ///   - path: The component's path.
    ///   - sealed: The sealed value.
    ///   - digest: The value's digest, if carried here.
    public init(x: UInt8, path: [UInt8], sealed: [UInt8], digest: [UInt8]?) {
        self.x = x
        self.path = path
        self.sealed = Base64Bytes(sealed)
        self.digest = digest.map(HexBytes.init)
    }
}
