/// Public metadata of a vault (the cloud account it guards), given as `--metadata key=value` at the key ceremony and
/// shown by `escrow vault show`. Nothing here is secret.
///
/// Known keys are validated (the AWS root-credential record):
/// | key | rule |
/// |---|---|
/// | `provider` | `aws`, `azure`, `gcp` or `other` |
/// | `account_id` | 12 digits (AWS account id) |
/// | `account_name` | free text |
/// | `account_alias` | 3–63 of `a-z 0-9 -`, not starting or ending with `-` |
/// | `org_role` | `management`, `member` or `standalone` |
/// | `org_id` | `o-` followed by 10–32 of `a-z 0-9` |
/// | `root_email` | an e-mail address |
/// | `mfa` | up to 8 comma-separated MFA device labels (letters, digits, `. _ - : @ /`) |
/// | `centralized_root_access`, `access_keys_present` | `true` or `false` |
/// | `security_contact`, `description` | free text |
///
/// Other keys must start with `x-` (so a misspelt known key is caught) and use `a-z 0-9 . _ -`. Values are at most
/// 512 characters without control or invisible formatting characters (see
/// ``NameRules/firstHiddenCharacter(in:)``).
public enum VaultMetadata {
    /// The largest value length.
    public static let maximumValueLength = 512

    /// The keys with specific validation.
    public static let knownKeys: [String] = [
        "provider", "account_id", "account_name", "account_alias", "org_role", "org_id", "root_email", "mfa",
        "centralized_root_access", "access_keys_present", "security_contact", "description",
    ]

    /// Parses `key=value` arguments into a validated dictionary.
    ///
    /// - Parameter arguments: The `--metadata` values.
    /// - Returns: The metadata.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the first bad argument.
    public static func parse(_ arguments: [String]) throws(EscrowError) -> [String: String] {
        var metadata: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw EscrowError(
                    .invalidInput,
                    "metadata '\(NameRules.printable(argument))' must be written key=value"
                )
            }
            let key = String(argument[..<equals])
            let value = String(argument[argument.index(after: equals)...])
            guard metadata[key] == nil else {
                throw EscrowError(.invalidInput, "metadata key '\(NameRules.printable(key))' is given twice")
            }
            metadata[key] = value
        }
        try validate(metadata)
        return metadata
    }

    /// Checks every key and value.
    ///
    /// - Parameter metadata: The metadata.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the first bad key (in sorted order).
    public static func validate(_ metadata: [String: String]) throws(EscrowError) {
        for key in metadata.keys.sorted() {
            try validate(key: key, value: metadata[key] ?? "")
        }
    }

    private static func isDigit(_ c: Character) -> Bool { ("0"..."9").contains(c) }
    private static func isLowerAlphanumeric(_ c: Character) -> Bool { ("a"..."z").contains(c) || isDigit(c) }

    private static func validate(key: String, value: String) throws(EscrowError) {
        func refuse(_ rule: String) -> EscrowError {
            EscrowError(.invalidInput, "metadata \(key)='\(NameRules.printable(value))': \(rule)")
        }
        guard !value.isEmpty else { throw refuse("the value is empty") }
        guard value.count <= maximumValueLength else { throw refuse("longer than \(maximumValueLength) characters") }
        if let hidden = NameRules.firstHiddenCharacter(in: value) { throw refuse(NameRules.describeHidden(hidden)) }
        switch key {
        case "provider":
            guard ["aws", "azure", "gcp", "other"].contains(value) else {
                throw refuse("must be aws, azure, gcp or other")
            }
        case "account_id":
            guard value.count == 12, value.allSatisfy(isDigit) else { throw refuse("an AWS account id is 12 digits") }
        case "account_alias":
            guard (3...63).contains(value.count), value.allSatisfy({ isLowerAlphanumeric($0) || $0 == "-" }),
                value.first != "-", value.last != "-"
            else { throw refuse("an account alias is 3-63 lowercase letters, digits or '-'") }
        case "org_role":
            guard ["management", "member", "standalone"].contains(value) else {
                throw refuse("must be management, member or standalone")
            }
        case "org_id":
            let rest = value.dropFirst(2)
            guard value.hasPrefix("o-"), (10...32).contains(rest.count), rest.allSatisfy(isLowerAlphanumeric) else {
                throw refuse("an organization id looks like o-abc123def4 (o- and 10-32 lowercase letters or digits)")
            }
        case "root_email":
            do {
                try PublicIdentity.validateEmail(value)
            } catch {
                throw refuse("not a valid e-mail address")
            }
        case "mfa":
            let labels = value.split(separator: ",", omittingEmptySubsequences: false)
            guard labels.count <= 8 else { throw refuse("at most 8 MFA devices (the AWS limit)") }
            for label in labels {
                guard (1...64).contains(label.count),
                    label.allSatisfy({
                        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || isDigit($0) || "._-:@/".contains($0)
                    })
                else { throw refuse("MFA labels are 1-64 letters, digits or . _ - : @ /, separated by commas") }
            }
        case "centralized_root_access", "access_keys_present":
            guard value == "true" || value == "false" else { throw refuse("must be true or false") }
        case "account_name", "security_contact", "description":
            break
        default:
            let rest = key.dropFirst(2)
            guard key.hasPrefix("x-"), (1...62).contains(rest.count), rest.first.map(isLowerAlphanumeric) == true,
                rest.allSatisfy({ isLowerAlphanumeric($0) || "._-".contains($0) })
            else {
                throw EscrowError(
                    .invalidInput,
                    "metadata key '\(NameRules.printable(key))' is unknown (known: \(knownKeys.joined(separator: ", ")); custom keys start with x-)"
                )
            }
        }
    }
}
