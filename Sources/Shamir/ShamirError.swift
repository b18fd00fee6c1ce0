/// The error every `Shamir` API throws. Compare by ``code``; the ``description`` is a sentence
/// a custodian understands.
public struct ShamirError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes (new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidThreshold
            case invalidShareCount
            case emptySecret
            case bufferSizeMismatch
            case zeroCoordinate
            case duplicateCoordinate
            case inconsistentLengths
            case tooFewShares
            case mismatchedSplit
            case malformedShare
            case checksumMismatch
            case unsupportedVersion
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The threshold is outside `2...255` (or above the share count).
        public static let invalidThreshold = Code(.invalidThreshold)
        /// The share count is outside `threshold...255`.
        public static let invalidShareCount = Code(.invalidShareCount)
        /// The secret has no bytes.
        public static let emptySecret = Code(.emptySecret)
        /// A caller-provided buffer has the wrong size.
        public static let bufferSizeMismatch = Code(.bufferSizeMismatch)
        /// A share claims x = 0, which would be the secret itself.
        public static let zeroCoordinate = Code(.zeroCoordinate)
        /// Two shares have the same x-coordinate.
        public static let duplicateCoordinate = Code(.duplicateCoordinate)
        /// Shares of different lengths were combined.
        public static let inconsistentLengths = Code(.inconsistentLengths)
        /// Fewer shares than the threshold were given.
        public static let tooFewShares = Code(.tooFewShares)
        /// Shares of different splits were mixed.
        public static let mismatchedSplit = Code(.mismatchedSplit)
        /// A share could not be decoded.
        public static let malformedShare = Code(.malformedShare)
        /// A share's checksum does not match its contents (a typo or a damaged copy).
        public static let checksumMismatch = Code(.checksumMismatch)
        /// A share uses a format version this build does not know.
        public static let unsupportedVersion = Code(.unsupportedVersion)

        /// The code's name, e.g. `duplicateCoordinate`.
        public var description: String { String(describing: value) }
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation that names the culprit (a line, a file, an x-coordinate) but never a secret byte.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A one-line explanation; it must not contain secret material.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The one-line message.
    public var description: String { message }

    /// Errors are equal when their codes are equal; the message is for people.
    public static func == (lhs: ShamirError, rhs: ShamirError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
