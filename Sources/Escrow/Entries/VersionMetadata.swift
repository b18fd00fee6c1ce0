/// Public data deposited with a credential version (TOTP parameters, who rotated it): never secret, shown to
/// approvers, and checked like vault metadata so that it cannot carry terminal escapes or invisible characters.
public enum VersionMetadata {
    /// The most members a version's metadata may have.
    public static let maximumCount = 32

    /// Checks keys (`a-z 0-9 _ -`, at most 64 characters) and values (printable, at most
    /// ``VaultMetadata/maximumValueLength`` characters).
    ///
    /// - Parameter metadata: The metadata.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the key.
    public static func validate(_ metadata: [String: String]) throws(EscrowError) {
        guard metadata.count <= maximumCount else {
            throw EscrowError(.invalidInput, "a version has at most \(maximumCount) metadata fields")
        }
        for key in metadata.keys.sorted() {
            let allowed = key.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
            guard allowed, (1...64).contains(key.utf8.count) else {
                throw EscrowError(
                    .invalidInput,
                    "metadata key '\(NameRules.printable(key))' is not lower-case a-z, 0-9, _ or -"
                )
            }
            let value = metadata[key] ?? ""
            guard value.count <= VaultMetadata.maximumValueLength,
                value.unicodeScalars.allSatisfy({ !NameRules.isControl($0) })
            else {
                throw EscrowError(.invalidInput, "metadata \(key): control characters or an over-long value")
            }
        }
    }
}
