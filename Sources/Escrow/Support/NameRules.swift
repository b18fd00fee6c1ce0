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
        if let hidden = firstHiddenCharacter(in: name) {
            throw EscrowError(.invalidInput, "\(what) '\(printable(name))' \(describeHidden(hidden))")
        }
        if !allowUppercase, bytes.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            let lowered = String(decoding: bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
            guard (try? validate(lowered, what: what, allowUppercase: false)) != nil else {
                throw EscrowError(
                    .invalidInput,
                    "\(what) '\(printable(name))' may only contain lowercase letters, digits, '.', '_' and '-'"
                )
            }
            throw EscrowError(.invalidInput, "\(what) has capital letters: use lower case: '\(name)' → '\(lowered)'")
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
        if let hidden = firstHiddenCharacter(in: reason) {
            throw EscrowError(.invalidInput, "the reason \(describeHidden(hidden))")
        }
    }

    /// Whether a scalar is a C0/C1 control character or DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The first character of `text` that must not appear in text that people read from the store: a control
    /// character (C0, DEL, C1: escape sequences rewrite a terminal), an invisible formatting character (Unicode
    /// category Cf: bidirectional overrides and isolates such as U+202E and U+2066, zero-width spaces and joiners,
    /// which make text display differently from what it is), or a line or paragraph separator.
    ///
    /// - Parameter text: Public text (a reason, a name, a metadata value, an e-mail address).
    /// - Returns: The first such character, or `nil` if there is none.
    public static func firstHiddenCharacter(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isHidden)
    }

    /// Whether `scalar` is one of the characters ``firstHiddenCharacter(in:)`` looks for.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return isControl(scalar)
        }
    }

    /// `contains U+202E RIGHT-TO-LEFT OVERRIDE: invisible formatting characters are not allowed` (or `… control
    /// characters are not allowed`): the end of a refusal for a character found by ``firstHiddenCharacter(in:)``.
    ///
    /// - Parameter scalar: The refused character.
    /// - Returns: The code point, its Unicode name where it has one, and the rule.
    public static func describeHidden(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name = scalar.properties.name ?? controlNames[scalar.value]
        let named = name.map { "\(code) \($0)" } ?? code
        let rule: String
        switch scalar.properties.generalCategory {
        case .format: rule = "invisible formatting characters are not allowed"
        case .lineSeparator, .paragraphSeparator: rule = "line breaks are not allowed"
        default: rule = "control characters are not allowed"
        }
        return "contains \(named): \(rule)"
    }

    /// Unicode's name aliases of the control characters people meet (controls have no proper name).
    private static let controlNames: [UInt32: String] = [
        0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION", 0x0A: "LINE FEED",
        0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE",
        0x85: "NEXT LINE", 0x90: "DEVICE CONTROL STRING", 0x9B: "CONTROL SEQUENCE INTRODUCER",
        0x9C: "STRING TERMINATOR", 0x9D: "OPERATING SYSTEM COMMAND",
    ]

    /// `text` with control and invisible formatting characters (see ``firstHiddenCharacter(in:)``) replaced by `?`,
    /// for showing untrusted public text on a terminal.
    ///
    /// - Parameter text: Public text from a file.
    /// - Returns: The same text without control or formatting characters.
    public static func terminalSafe(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            output.append(isHidden(scalar) ? "?" : scalar)
        }
        return String(output)
    }

    /// `text` with every character ``firstHiddenCharacter(in:)`` would find replaced by `?` (other Unicode is
    /// kept), at most `limit` characters: public text that the fold accepts as printable.
    ///
    /// - Parameters:
    ///   - text: Public text (a refusal line, for example).
    ///   - limit: The most characters kept.
    /// - Returns: The text without hidden characters.
    public static func withoutHiddenCharacters(_ text: String, limit: Int) -> String {
        var output = ""
        for scalar in text.unicodeScalars { output.unicodeScalars.append(isHidden(scalar) ? "?" : scalar) }
        return String(output.prefix(limit))
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
