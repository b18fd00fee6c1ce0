/// The error every `Sodium` API throws. Compare by ``code``; ``description`` is one readable line.
public struct SodiumError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes (new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `authenticationFailed`.
        public let description: String
        private init(_ name: String) { description = name }

        /// `sodium_init` failed or the library is older than the minimum supported version.
        public static let unavailable = Code("unavailable")
        /// A key, nonce, signature or buffer has the wrong length.
        public static let invalidLength = Code("invalidLength")
        /// A ciphertext, sealed box or tag did not verify: wrong key, wrong associated data, or tampering.
        public static let authenticationFailed = Code("authenticationFailed")
        /// A public key is not a valid point (e.g. an Ed25519 key that cannot be converted to X25519).
        public static let invalidKey = Code("invalidKey")
        /// Argon2id could not allocate its memory or the parameters are out of range.
        public static let keyDerivationFailed = Code("keyDerivationFailed")
        /// `sodium_malloc` could not allocate guarded memory.
        public static let outOfMemory = Code("outOfMemory")
        /// A parameter is outside the range the primitive accepts.
        public static let invalidParameter = Code("invalidParameter")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation; never contains key or plaintext bytes.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A one-line explanation without secret material.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The one-line message.
    public var description: String { message }

    /// Errors are equal when their codes are equal.
    public static func == (lhs: SodiumError, rhs: SodiumError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension SodiumError {
    /// The single choke point for libsodium return codes: `0` is success, anything else becomes `error`.
    ///
    /// - Parameters:
    ///   - rc: The C function's return value.
    ///   - error: What to throw when `rc != 0`.
    /// - Throws: `error` when `rc` is non-zero.
    @inline(__always)
    static func check(_ rc: Int32, _ error: @autoclosure () -> SodiumError) throws(SodiumError) {
        guard rc == 0 else { throw error() }
    }

    /// Throws ``Code/invalidLength`` unless `actual == expected`.
    @inline(__always)
    static func requireLength(_ what: String, _ actual: Int, _ expected: Int) throws(SodiumError) {
        guard actual == expected else {
            throw SodiumError(.invalidLength, "\(what) must be \(expected) bytes, got \(actual)")
        }
    }
}
