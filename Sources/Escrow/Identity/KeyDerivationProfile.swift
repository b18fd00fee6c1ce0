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
    /// The smallest limits libsodium accepts (1 pass, 8 KiB). Only for tests and `escrow demo`: it offers almost no
    /// protection against guessing.
    case minimal

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
