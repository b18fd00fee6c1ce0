import Sodium

/// Turns the bytes a depositor supplies (standard input, a file, or the generator) into the value sealed for an entry
/// and its public metadata, according to the entry's kind.
public enum EntryInput {
    /// The largest value accepted for any entry (64 KiB).
    public static let maximumLength = 64 * 1024
    /// The largest password accepted.
    public static let maximumPasswordLength = 4096

    /// A value ready to seal.
    public struct Prepared: Sendable {
        /// The value to seal, in guarded memory.
        public let value: SecureBytes
        /// Public metadata for the entry version.
        public let metadata: [String: String]

        /// Pairs a value with its metadata.
        ///
        /// - Parameters:
        ///   - value: The secret value.
        ///   - metadata: Public metadata.
        public init(value: SecureBytes, metadata: [String: String]) {
            self.value = value
            self.metadata = metadata
        }
    }

    /// Prepares supplied bytes.
    ///
    /// - password: one trailing newline (`\n` or `\r\n`) is removed, as `echo` and editors add it;
    /// - totp: an `otpauth://totp/…` URI or a base32 seed (see ``OTPAuthURI``); the seed is sealed, the parameters
    ///   become metadata;
    /// - note: kept byte for byte.
    ///
    /// - Parameters:
    ///   - input: The supplied bytes.
    ///   - kind: The entry kind.
    ///   - entryName: The entry name (the default TOTP label).
    /// - Returns: The value and metadata.
    /// - Throws: ``EscrowError/Code/invalidInput`` for an empty or unusable value.
    public static func prepare(_ input: SecureBytes, kind: EntryKind, entryName: String) throws(EscrowError) -> Prepared
    {
        guard input.count <= maximumLength else {
            throw EscrowError(.invalidInput, "the value for '\(entryName)' is larger than \(maximumLength) bytes")
        }
        switch kind {
        case .password:
            let length = input.withUnsafeBytes { bytes -> Int in
                var end = bytes.count
                if end > 0, bytes[end - 1] == UInt8(ascii: "\n") {
                    end -= 1
                    if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                }
                return end
            }
            guard length > 0 else { throw EscrowError(.invalidInput, "the password for '\(entryName)' is empty") }
            guard length <= maximumPasswordLength else {
                throw EscrowError(
                    .invalidInput,
                    "the password for '\(entryName)' is longer than \(maximumPasswordLength) bytes"
                )
            }
            return Prepared(value: input.slice(0..<length), metadata: [:])
        case .totp:
            let parsed = try OTPAuthURI.parse(input, defaultLabel: entryName)
            return Prepared(value: parsed.seed, metadata: parsed.parameters.metadata)
        case .note:
            guard input.count > 0 else { throw EscrowError(.invalidInput, "the note for '\(entryName)' is empty") }
            return Prepared(value: input, metadata: [:])
        }
    }
}
