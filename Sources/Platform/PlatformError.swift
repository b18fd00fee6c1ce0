#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The error every `Platform` API throws. Compare by ``code``; ``message`` is one line naming the path (or what the
/// caller called the descriptor) and the system's reason.
public struct PlatformError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong (extensible: new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let description: String
        private init(_ name: String) { description = name }

        /// The path does not exist (`ENOENT`).
        public static let notFound = Code("notFound")
        /// The path exists and the operation would not replace it (`EEXIST`, or an atomic file without overwrite).
        public static let alreadyExists = Code("alreadyExists")
        /// Input is larger than the caller's limit.
        public static let tooLarge = Code("tooLarge")
        /// The operation does not exist on this system (e.g. `syncfs` outside Linux).
        public static let unsupported = Code("unsupported")
        /// Any other failed system call; the message names it and the path.
        public static let ioFailure = Code("ioFailure")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation naming the path.
    public let message: String
    /// The `errno` of the failed system call, if one failed.
    public let systemErrorNumber: Int32?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A one-line explanation.
    ///   - systemErrorNumber: The `errno` behind it, if any.
    public init(_ code: Code, _ message: String, systemErrorNumber: Int32? = nil) {
        self.code = code
        self.message = message
        self.systemErrorNumber = systemErrorNumber
    }

    /// The error for a system call that just failed on `path`: `cannot <what> <path>: <reason>`, with
    /// ``Code/notFound`` for `ENOENT` and ``Code/alreadyExists`` for `EEXIST`.
    ///
    /// - Parameters:
    ///   - what: The operation, e.g. `open` or `flush directory`.
    ///   - path: The path or descriptor name.
    ///   - number: The error number (the current `errno` by default).
    /// - Returns: The error.
    public static func system(_ what: String, _ path: String, errno number: Int32 = errno) -> PlatformError {
        let code: Code
        switch number {
        case ENOENT: code = .notFound
        case EEXIST: code = .alreadyExists
        default: code = .ioFailure
        }
        return PlatformError(
            code,
            "cannot \(what) \(path): \(FileDescriptorIO.describe(errno: number))",
            systemErrorNumber: number
        )
    }

    /// The one-line message.
    public var description: String { message }

    /// Errors are equal when their codes are equal; the message is for people.
    public static func == (lhs: PlatformError, rhs: PlatformError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
