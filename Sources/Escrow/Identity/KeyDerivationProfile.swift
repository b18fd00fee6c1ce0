import Sodium

/// The named Argon2id cost settings an identity file can be sealed with. The file records the limits it used, so any
/// profile opens with the same code.
public enum KeyDerivationProfile: String, CaseIterable, Sendable {
    /// libsodium's `MODERATE` (3 passes, 256 MiB): the default for identity files.
    case moderate
    /// libsodium's `INTERACTIVE` (2 passes, 64 MiB), for small machines.
    case interactive
    /// libsodium's `SENSITIVE` (4 passes, 1 GiB).
    case sensitive
    /// The test profile: the smallest limits libsodium accepts (1 pass, 8 KiB). Only for tests and `escrow demo`: it
    /// offers almost no protection against guessing, so ``IdentityFile/unseal(passphrase:allowTestProfile:)``
    /// refuses a file sealed with it (or anything below ``interactive``) unless the caller allows it explicitly,
    /// and `escrow custodian new` does not offer it.
    case minimal

    /// Whether `limits` are below libsodium's `INTERACTIVE` (2 passes, 64 MiB), the least a real identity uses:
    /// the test profile ``minimal`` and anything like it (a file may record any limits).
    ///
    /// - Parameter limits: Argon2id limits, e.g. read from an identity file.
    /// - Returns: `true` for test-only strength.
    public static func isTestStrength(_ limits: PasswordHash.Limits) -> Bool {
        limits.operations < PasswordHash.Limits.interactive.operations
            || limits.memory < PasswordHash.Limits.interactive.memory
    }

    /// The Argon2id limits of this profile.
    public var limits: PasswordHash.Limits {
        switch self {
        case .moderate: return .moderate
        case .interactive: return .interactive
        case .sensitive: return .sensitive
        case .minimal: return Self.minimalLimits
        }
    }

    private static let minimalLimits: PasswordHash.Limits = {
        do {
            return try PasswordHash.Limits(operations: 1, memory: 8192)
        } catch {
            preconditionFailure("libsodium refuses its own minimum Argon2id limits: \(error)")
        }
    }()
}
