internal import CSodium

/// Namespace for the libsodium-backed primitives: the only module that touches the C library.
public enum Sodium {
    /// The libsodium version this process runs against, e.g. `1.0.18`.
    public static var version: String { String(cString: sodium_version_string()) }
}
