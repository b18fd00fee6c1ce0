/// The spelling rules for the names people type: custodians, vaults and entries.
///
/// Custodian and vault names are lowercase (`a-z 0-9 . _ -`, starting with a letter or digit) because vault names
/// become file names and must not collide on case-insensitive file systems, and both appear in comma-separated
/// options. Entry names also allow uppercase letters. No name may start with a dot, so temporary files never clash.
public enum NameRules {
    /// The longest custodian, vault or entry name.
    public static let maximumLength = 64

    /// Checks a custodian name, e.g. `alice` or `ci-rotation-bot`.
    ///
    /// - Parameter name: The candidate.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the problem.
    public static func validateCustodianName(_ name: String) throws(EscrowError) {
        try validate(name, what: "custodian name", allowUppercase: false)
    }

    /// Checks a vault name, e.g. `acme-prod`.
    ///
    /// - Parameter name: The candidate.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the problem.
    public static func validateVaultName(_ name: String) throws(EscrowError) {
        try validate(name, what: "vault name", allowUppercase: false)
    }

    /// Checks an entry name, e.g. `root-password` or `MFA.virtual`.
    ///
    /// - Parameter name: The candidate.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the problem.
    public static func validateEntryName(_ name: String) throws(EscrowError) {
        try validate(name, what: "entry name", allowUppercase: true)
    }

    private static func validate(_ name: String, what: String, allowUppercase: Bool) throws(EscrowError) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else { throw EscrowError(.invalidInput, "\(what) is empty") }
        guard bytes.count <= maximumLength else {
            throw EscrowError(.invalidInput, "\(what) '\(printable(name))' is longer than \(maximumLength) characters")
        }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (allowUppercase && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte))
        }
        guard isAlphanumeric(bytes[0]) else {
            throw EscrowError(.invalidInput, "\(what) '\(printable(name))' must start with a letter or digit")
        }
        for byte in bytes
        where !isAlphanumeric(byte) && ![UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-")].contains(byte) {
            let allowed = allowUppercase ? "letters, digits" : "lowercase letters, digits"
            throw EscrowError(
                .invalidInput,
                "\(what) '\(printable(name))' may only contain \(allowed), '.', '_' and '-'"
            )
        }
    }

    /// The longest reason accepted for the audit log.
    public static let maximumReasonLength = 1000

    /// Checks a reason given for the audit log: not empty, at most ``maximumReasonLength`` characters, no control
    /// characters (which could rewrite a terminal when the log is shown).
    ///
    /// - Parameter reason: The reason, if one was given.
    /// - Throws: ``EscrowError/Code/invalidInput``.
    public static func validateReason(_ reason: String?) throws(EscrowError) {
        guard let reason else { return }
        guard !reason.isEmpty else { throw EscrowError(.invalidInput, "the reason is empty (leave it out instead)") }
        guard reason.count <= maximumReasonLength else {
            throw EscrowError(.invalidInput, "the reason is longer than \(maximumReasonLength) characters")
        }
        guard !reason.unicodeScalars.contains(where: isControl) else {
            throw EscrowError(.invalidInput, "the reason contains control characters")
        }
    }

    /// Whether a scalar is a C0/C1 control character or DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `text` with control characters replaced by `?`, for showing untrusted public text on a terminal.
    ///
    /// - Parameter text: Public text from a file.
    /// - Returns: The same text without control characters.
    public static func terminalSafe(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { output.append(isControl(scalar) ? "?" : scalar) }
        return String(output)
    }

    /// `text` with control and non-ASCII characters replaced by `?`, safe to echo in a one-line message.
    ///
    /// - Parameter text: Untrusted public text.
    /// - Returns: A printable version, at most 80 characters.
    public static func printable(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars.prefix(80) {
            output.unicodeScalars.append((0x20..<0x7F).contains(scalar.value) ? scalar : "?")
        }
        return text.unicodeScalars.count > 80 ? output + "…" : output
    }
}
