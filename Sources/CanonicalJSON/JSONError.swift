/// The error every `CanonicalJSON` API throws. Compare by ``code``; ``message`` is one line naming the source (a file
/// name or path given by the caller) and the position: a line and column for syntax, a field path for decoding.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong (extensible: new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let description: String
        private init(_ name: String) { description = name }

        /// The bytes are not strict JSON: a syntax error, a float, a duplicate member, invalid UTF-8, nesting too
        /// deep, or data after the value.
        public static let invalidJSON = Code("invalidJSON")
        /// A field is missing, null, of the wrong type, or out of range for the model.
        public static let invalidField = Code("invalidField")
        /// An object holds a member the model does not read (refused by ``JSONValueDecoder/UnknownKeys/refuse``).
        public static let unknownKey = Code("unknownKey")
        /// The model's own `init(from:)` threw an error other than a `DecodingError`; it is ``JSONError/underlying``.
        public static let rejectedByModel = Code("rejectedByModel")
        /// A model holds something the format cannot represent (a floating-point number, an integer beyond `Int64`).
        public static let unencodable = Code("unencodable")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation naming the source and the position.
    public let message: String
    /// The error a model (or a value it decodes) threw, when there is one.
    public let underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A one-line explanation.
    ///   - underlying: The error a model threw, if any.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The one-line message.
    public var description: String { message }

    /// Errors are equal when their codes are equal; the message is for people.
    public static func == (lhs: JSONError, rhs: JSONError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
