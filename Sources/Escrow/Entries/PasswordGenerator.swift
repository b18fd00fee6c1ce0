import Sodium

/// Generates root-account passwords that meet cloud password policies: by default 24 characters drawn uniformly from
/// upper- and lowercase letters, digits and the symbols AWS accepts (`!@#$%^&*()_+-=[]{}|'`), with at least one
/// character of each class.
///
/// Candidates are drawn uniformly and re-drawn until all four classes occur, so the result is uniform over the valid
/// passwords. The class check is branch-free per character; a rejected candidate is discarded, so its timing says
/// nothing about the password kept.
public enum PasswordGenerator {
    /// The default length.
    public static let defaultLength = 24
    /// The accepted lengths.
    public static let allowedLengths = 20...128

    private static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    private static let lower = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    private static let digits = Array("0123456789".utf8)
    /// The symbols AWS allows in IAM and root passwords.
    public static let symbols = Array("!@#$%^&*()_+-=[]{}|'".utf8)
    /// The full alphabet (88 characters, about 6.46 bits each).
    public static let alphabet = upper + lower + digits + symbols

    /// Generates a password.
    ///
    /// - Parameter length: The number of characters, within ``allowedLengths``.
    /// - Returns: The password (ASCII) in guarded memory.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a length outside ``allowedLengths``.
    public static func generate(length: Int = defaultLength) throws(EscrowError) -> SecureBytes {
        guard allowedLengths.contains(length) else {
            throw EscrowError(
                .invalidInput,
                "password length \(length) is outside \(allowedLengths.lowerBound)...\(allowedLengths.upperBound)"
            )
        }
        while true {
            let candidate = Sodium.randomPassword(length: length, alphabet: alphabet)
            if hasEveryClass(candidate) { return candidate }
        }
    }

    /// Whether `password` contains an uppercase letter, a lowercase letter, a digit and one of ``symbols``.
    ///
    /// - Parameter password: ASCII bytes.
    /// - Returns: `true` when all four classes occur.
    public static func hasEveryClass(_ password: SecureBytes) -> Bool {
        let classes = password.withUnsafeBytes { bytes -> UInt32 in
            var seen: UInt32 = 0
            for byte in bytes {
                let c = UInt32(byte)
                let isUpper = inRange(c, 0x41, 0x5A)
                let isLower = inRange(c, 0x61, 0x7A)
                let isDigit = inRange(c, 0x30, 0x39)
                var isSymbol: UInt32 = 0
                for symbol in symbols { isSymbol |= ((c ^ UInt32(symbol)) &- 1) >> 31 }
                seen |= isUpper | isLower << 1 | isDigit << 2 | isSymbol << 3
            }
            return seen
        }
        return classes == 0b1111
    }

    @inline(__always)
    private static func inRange(_ c: UInt32, _ low: UInt32, _ high: UInt32) -> UInt32 {
        ((c &- low) >> 31 ^ 1) & ((high &- c) >> 31 ^ 1)
    }
}
