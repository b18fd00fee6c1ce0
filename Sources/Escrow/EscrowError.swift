/// The error every `Escrow` API throws. Compare by ``code``.
public struct EscrowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong (extensible).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let description: String
        private init(_ name: String) { description = name }

        /// An input was refused.
        public static let invalidInput = Code("invalidInput")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation naming the culprit.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The one-line message.
    public var description: String { message }
}
