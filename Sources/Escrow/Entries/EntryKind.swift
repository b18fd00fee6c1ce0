/// What an entry holds, which decides how its value is read at deposit and shown at unlock.
public enum EntryKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A password (e.g. the root password); `--generate` can make one.
    case password
    /// A TOTP seed, given as an `otpauth://totp/…` URI or a base32 seed; parameters are kept as public metadata.
    case totp
    /// Free text (recovery codes, procedures); kept byte for byte.
    case note
}
