/// The error every `Escrow` API throws. Compare by ``code``; ``description`` is one line a custodian understands,
/// naming the culprit (a file, a line, a custodian, a vault) and never a secret byte.
public struct EscrowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong (extensible: new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let description: String
        private init(_ name: String) { description = name }

        /// An input was refused (a name, an option value, a metadata field, a TOTP URI…).
        public static let invalidInput = Code("invalidInput")
        /// A named thing (vault, custodian, entry, file) does not exist.
        public static let notFound = Code("notFound")
        /// A named thing already exists.
        public static let alreadyExists = Code("alreadyExists")
        /// A passphrase was refused by the strength policy (override with `--force`).
        public static let weakPassphrase = Code("weakPassphrase")
        /// An identity file could not be unlocked: wrong passphrase, or the file was altered.
        public static let wrongPassphrase = Code("wrongPassphrase")
        /// A file is not valid JSON, misses a field, or has a field of the wrong shape.
        public static let malformedFile = Code("malformedFile")
        /// A file has another format or a format version this build does not understand.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// A signature, digest, checksum or hash does not match: the data was altered.
        public static let tampered = Code("tampered")
        /// The actor is not allowed to do this (not in the roster, not a custodian of the vault).
        public static let notAuthorized = Code("notAuthorized")
        /// The request conflicts with the current state (e.g. removing a custodian who still holds shares).
        public static let conflict = Code("conflict")
        /// The audit log's chain or a record's signature does not verify.
        public static let auditBroken = Code("auditBroken")
        /// A file-system operation failed (the message names the path and the system error).
        public static let ioFailure = Code("ioFailure")
        /// A cryptographic operation failed unexpectedly (libsodium refused a key, out of guarded memory…).
        public static let cryptoFailure = Code("cryptoFailure")
        /// No terminal is available to ask for a passphrase or a secret.
        public static let noTerminal = Code("noTerminal")
        /// The secret-sharing layer refused an operation.
        public static let sharingFailed = Code("sharingFailed")
        /// An unlock request is past its expiry time.
        public static let expired = Code("expired")
        /// An unlock request was already executed (a request opens once; replays are refused).
        public static let alreadyUsed = Code("alreadyUsed")
        /// Fewer valid approvals (or custodians present) than the vault's threshold.
        public static let quorumNotMet = Code("quorumNotMet")
        /// A custodian's share is bad (does not decrypt or does not match its recorded digest); the message names them.
        public static let badShare = Code("badShare")
        /// An identity file is sealed with test-only Argon2id limits (see ``KeyDerivationProfile/minimal``) and the
        /// caller did not allow them: only `escrow demo` and tests may use such identities.
        public static let testProfile = Code("testProfile")
        /// Test hook: a commit stopped at an injected crash point without cleaning up.
        static let simulatedCrash = Code("simulatedCrash")
    }

    /// What the caller can do about a failure, when the domain knows: a front end turns it into its own words (the
    /// CLI names a flag or a command), so that the domain's ``message`` names no command-line flag (extensible: new
    /// hints are not a breaking change).
    public struct Hint: Hashable, Sendable, CustomStringConvertible {
        /// The hint's name.
        public let description: String
        private init(_ name: String) { description = name }

        /// The passphrase policy refused a passphrase; it can be overridden explicitly.
        public static let overridePassphrasePolicy = Hint("overridePassphrasePolicy")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation naming the culprit (never a command-line flag: see ``hint``).
    public let message: String
    /// What the caller can do, in order, for a front end to phrase (the CLI adds the flag to use). An error that
    /// wraps another keeps the other's hints and may add its own.
    public let hints: [Hint]

    /// The first of ``hints``.
    public var hint: Hint? { hints.first }

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A one-line explanation; it must not contain secret material.
    ///   - hint: What the caller can do about it, if the domain knows.
    public init(_ code: Code, _ message: String, hint: Hint? = nil) {
        self.init(code, message, hints: hint.map { [$0] } ?? [])
    }

    /// Creates an error with several hints (typically a wrapped error's, then the wrapper's).
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A one-line explanation; it must not contain secret material.
    ///   - hints: What the caller can do about it, in order.
    public init(_ code: Code, _ message: String, hints: [Hint]) {
        self.code = code
        self.message = message
        self.hints = hints
    }

    /// The one-line message.
    public var description: String { message }

    /// Errors are equal when their codes are equal; the message is for people.
    public static func == (lhs: EscrowError, rhs: EscrowError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
