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
    /// - password: one trailing newline (`\n` or `\r\n`) is removed, as `echo` and editors add it; control
    ///   characters are refused (see ``containsControlCharacters(_:allowingLineBreaks:)``);
    /// - totp: an `otpauth://totp/…` URI or a base32 seed (see ``OTPAuthURI``); the seed is sealed, the parameters
    ///   become metadata;
    /// - note: kept byte for byte; control characters other than tabs and line breaks are refused.
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
            let value = input.slice(0..<length)
            guard !containsControlCharacters(value, allowingLineBreaks: false) else {
                throw EscrowError(
                    .invalidInput,
                    "the password for '\(entryName)' contains control characters (such as ESC), which are not allowed"
                )
            }
            return Prepared(value: value, metadata: [:])
        case .totp:
            let parsed = try OTPAuthURI.parse(input, defaultLabel: entryName)
            return Prepared(value: parsed.seed, metadata: parsed.parameters.metadata)
        case .note:
            guard input.count > 0 else { throw EscrowError(.invalidInput, "the note for '\(entryName)' is empty") }
            guard !containsControlCharacters(input, allowingLineBreaks: true) else {
                throw EscrowError(
                    .invalidInput,
                    "the note for '\(entryName)' contains control characters other than line breaks and tabs "
                        + "(such as ESC), which are not allowed"
                )
            }
            return Prepared(value: input, metadata: [:])
        }
    }

    /// Whether `value` holds a control character: a C0 control (below 0x20), DEL, or a C1 control (U+0080…U+009F,
    /// UTF-8 `C2 80`…`C2 9F`). With `allowingLineBreaks`, tab, line feed and a carriage return before a line feed are
    /// allowed (a note's lines).
    ///
    /// Such bytes would reach the terminal of whoever opens the entry: an escape sequence can rewrite the screen,
    /// set the window title or, through OSC 52, the clipboard. The scan is branch-free over the secret bytes (masks
    /// only); only the verdict is branched on.
    ///
    /// - Parameters:
    ///   - value: The secret value.
    ///   - allowingLineBreaks: Whether tabs and line breaks are allowed.
    /// - Returns: `true` if a forbidden character is present.
    /// - Complexity: O(n), constant time per byte.
    public static func containsControlCharacters(_ value: SecureBytes, allowingLineBreaks: Bool) -> Bool {
        let lineBreaksAllowed: UInt32 = allowingLineBreaks ? 1 : 0
        return value.withUnsafeBytes { bytes -> Bool in
            var found: UInt32 = 0
            var previous: UInt32 = 0
            for index in 0..<bytes.count {
                let byte = UInt32(bytes[index])
                let next = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
                let c0 = below(byte, 0x20)
                let allowed =
                    lineBreaksAllowed
                    & (equal(byte, 0x09) | equal(byte, 0x0A) | (equal(byte, 0x0D) & equal(next, 0x0A)))
                let delete = equal(byte, 0x7F)
                let c1 = equal(previous, 0xC2) & (below(byte, 0xA0) & (below(byte, 0x80) ^ 1))
                found |= (c0 & (allowed ^ 1)) | delete | c1
                previous = byte
            }
            return found != 0
        }
    }

    /// 1 if `a < b`, else 0, without branches (values below 2^31).
    @inline(__always)
    private static func below(_ a: UInt32, _ b: UInt32) -> UInt32 { (a &- b) >> 31 }

    /// 1 if `a == b`, else 0, without branches (values below 2^31).
    @inline(__always)
    private static func equal(_ a: UInt32, _ b: UInt32) -> UInt32 { ((a ^ b) &- 1) >> 31 }
}
