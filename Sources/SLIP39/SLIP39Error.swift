/// The error every `SLIP39` API throws. Compare by ``code``; the ``message`` is one line a custodian understands.
///
/// Messages name the culprit (a line, a share, a word position, a group) and the reason. They never contain
/// secret bytes. The one exception is deliberate: an unknown word is reported with the closest word of the
/// list as a suggestion, so the holder can fix the typo on paper.
public struct SLIP39Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong (extensible: new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `invalidChecksum`.
        public let description: String
        private init(_ name: String) { description = name }

        // MARK: One mnemonic

        /// A mnemonic could not be parsed (empty, or otherwise malformed).
        public static let invalidMnemonic = Code("invalidMnemonic")
        /// A word is not in the SLIP-0039 word list; the message suggests the closest word.
        public static let unknownWord = Code("unknownWord")
        /// The mnemonic has a word count no SLIP-0039 share can have (too short, too long, or a length whose
        /// padding would exceed 8 bits, i.e. an odd number of secret bytes).
        public static let invalidLength = Code("invalidLength")
        /// The RS1024 checksum (the last three words) does not match: a word is mistyped or the copy is damaged.
        public static let invalidChecksum = Code("invalidChecksum")
        /// The padding bits in front of the share value are not all zero.
        public static let invalidPadding = Code("invalidPadding")

        // MARK: A set of mnemonics

        /// No shares (or no mnemonics) were given.
        public static let noShares = Code("noShares")
        /// Shares carry different identifiers: they belong to different secrets.
        public static let identifierMismatch = Code("identifierMismatch")
        /// Shares disagree on the extendable-backup flag.
        public static let extendableFlagMismatch = Code("extendableFlagMismatch")
        /// Shares carry different iteration exponents.
        public static let iterationExponentMismatch = Code("iterationExponentMismatch")
        /// Shares disagree on the group threshold or the group count.
        public static let groupParametersMismatch = Code("groupParametersMismatch")
        /// Shares of one group disagree on the member threshold.
        public static let memberThresholdMismatch = Code("memberThresholdMismatch")
        /// Share values have different lengths.
        public static let lengthMismatch = Code("lengthMismatch")
        /// Fewer groups than the group threshold are present.
        public static let insufficientGroups = Code("insufficientGroups")
        /// More groups than the group threshold are present (SLIP-0039 requires exactly the threshold).
        public static let tooManyGroups = Code("tooManyGroups")
        /// A group has fewer or more member shares than its member threshold (SLIP-0039 requires exactly it).
        public static let wrongMemberCount = Code("wrongMemberCount")
        /// Two shares of one group have the same member index.
        public static let duplicateMemberIndex = Code("duplicateMemberIndex")
        /// The recovered secret does not match the digest stored at x = 254: a share was altered or forged,
        /// or shares of different splits that happen to share an identifier were mixed.
        public static let digestMismatch = Code("digestMismatch")

        // MARK: Splitting parameters

        /// A threshold rule is broken: `1 ≤ T ≤ N`, a group with threshold 1 has exactly one member,
        /// `1 ≤ GT ≤ G`, and a share's group threshold never exceeds its group count.
        public static let invalidThreshold = Code("invalidThreshold")
        /// A group or member count is outside `1...16`.
        public static let invalidShareCount = Code("invalidShareCount")
        /// The master secret is shorter than 16 bytes, longer than ``SLIP39/maximumSecretByteCount``, or odd.
        public static let invalidSecretLength = Code("invalidSecretLength")
        /// The iteration exponent is outside `0...15`.
        public static let invalidIterationExponent = Code("invalidIterationExponent")
        /// The passphrase contains a byte outside printable ASCII (32...126).
        public static let invalidPassphrase = Code("invalidPassphrase")
        /// The identifier is outside `0...32767`.
        public static let invalidIdentifier = Code("invalidIdentifier")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation naming the culprit; it contains no secret material.
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
    public static func == (lhs: SLIP39Error, rhs: SLIP39Error) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
