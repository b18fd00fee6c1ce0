import Sodium

/// A decrypted entry version: public facts and the value in guarded memory (wiped when the last reference goes).
public struct OpenedEntry: Sendable {
    /// The entry name.
    public let name: String
    /// What the value is.
    public let kind: EntryKind
    /// The version opened.
    public let version: Int
    /// When it was deposited.
    public let createdAt: UTCTime
    /// Public metadata (TOTP parameters…).
    public let metadata: [String: String]
    /// The value (a TOTP entry's value is the raw seed).
    public let value: SecureBytes

    /// Creates an opened entry.
    ///
    /// - Parameters:
    ///   - name: The entry name.
    ///   - kind: The kind.
    ///   - version: The version number.
    ///   - createdAt: The deposit time.
    ///   - metadata: Public metadata.
    ///   - value: The secret value.
    public init(
        name: String,
        kind: EntryKind,
        version: Int,
        createdAt: UTCTime,
        metadata: [String: String],
        value: SecureBytes
    ) {
        self.name = name
        self.kind = kind
        self.version = version
        self.createdAt = createdAt
        self.metadata = metadata
        self.value = value
    }

    /// The current TOTP code of a `totp` entry.
    ///
    /// - Parameter time: Seconds since 1970 (now, or a test time).
    /// - Returns: The code and seconds left.
    /// - Throws: ``EscrowError/Code/invalidInput`` if this is not a TOTP entry or its parameters are unusable.
    public func totpCode(at time: Int64) throws(EscrowError) -> TOTPCode {
        guard kind == .totp else { throw EscrowError(.invalidInput, "entry '\(name)' is a \(kind.rawValue), not totp") }
        return try TOTP.code(seed: value, parameters: try TOTPParameters(metadata: metadata), at: time)
    }
}
