internal import CSodium

/// Namespace for the libsodium-backed primitives. This module is the only one that touches the C library.
///
/// Every entry point initialises libsodium on first use; call ``initialize()`` once at start-up to learn early
/// whether the library is usable (it refuses libsodium older than ``minimumVersion``).
public enum Sodium {
    /// The oldest libsodium release this package supports.
    public static let minimumVersion = "1.0.18"

    /// The libsodium version this process runs against, e.g. `1.0.18`.
    public static var version: String { String(cString: sodium_version_string()) }

    /// The outcome of the one-time initialisation (Swift runs a `static let` initialiser exactly once, thread-safely).
    private static let initialization: Result<Void, SodiumError> = {
        guard sodium_init() >= 0 else {
            return .failure(SodiumError(.unavailable, "libsodium failed to initialise (sodium_init)"))
        }
        // libsodium 1.0.18 is library version 10.3.
        let major = Int(sodium_library_version_major())
        let minor = Int(sodium_library_version_minor())
        guard (major, minor) >= (10, 3) else {
            return .failure(
                SodiumError(
                    .unavailable,
                    "libsodium \(String(cString: sodium_version_string())) is too old; escrow needs \(minimumVersion) or later"
                )
            )
        }
        return .success(())
    }()

    /// Initialises libsodium once (thread-safe, idempotent) and checks its version.
    ///
    /// - Throws: ``SodiumError/Code/unavailable`` if `sodium_init` fails or libsodium is older than ``minimumVersion``.
    public static func initialize() throws(SodiumError) {
        try initialization.get()
    }

    /// Runs the one-time initialisation from entry points that cannot throw. libsodium's functions work even if
    /// `sodium_init` were to fail (they fall back to portable code), so only ``initialize()`` reports the failure.
    @inline(__always)
    static func prepare() {
        _ = initialization
    }
}
