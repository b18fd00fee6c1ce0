/// Who signed an ``Event``: the member's name as the author wrote it and the Ed25519 public key that verifies the
/// signature.
///
/// The key is what counts (the fold looks it up in the roster); the name is what people read.
public struct EventAuthor: Hashable, Sendable, CustomStringConvertible {
    /// The member's name, e.g. `alice`.
    public let name: String
    /// The 32-byte Ed25519 public key.
    public let key: [UInt8]

    /// Creates an author.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - key: The 32-byte Ed25519 public key.
    public init(name: String, key: [UInt8]) {
        self.name = name
        self.key = key
    }

    /// The short fingerprint of ``key`` (the one shown for custodians everywhere).
    public var fingerprint: Fingerprint { Fingerprint(signingKey: key) }

    /// `alice 3F2A-91C4-0B7D-55E2-A1C9`.
    public var description: String { "\(name) \(fingerprint)" }
}
