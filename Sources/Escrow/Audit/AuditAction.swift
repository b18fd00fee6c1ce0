/// The action an audit record documents: an extensible set of dotted names (`vault.init`, `entry.put`, …).
/// Readers accept actions they do not know (a newer escrow may add some); only the roster actions change how later
/// records are verified.
public struct AuditAction: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The dotted name.
    public let rawValue: String

    /// Wraps a dotted name.
    ///
    /// - Parameter rawValue: E.g. `vault.init`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps a literal dotted name.
    ///
    /// - Parameter value: E.g. `"vault.init"`.
    public init(stringLiteral value: String) { rawValue = value }

    /// The dotted name.
    public var description: String { rawValue }

    /// Decodes the dotted name.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: If the value is not a string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the dotted name.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The store was created; the founder (in `details.identity`) becomes the first roster member.
    public static let storeInit: AuditAction = "store.init"
    /// A custodian (in `details.identity`) joined the roster.
    public static let custodianAdd: AuditAction = "custodian.add"
    /// A custodian (`details.fingerprint`) left the roster.
    public static let custodianRemove: AuditAction = "custodian.remove"
    /// A vault was created by a key ceremony.
    public static let vaultInit: AuditAction = "vault.init"
    /// An entry was deposited (a new entry or a new version of one).
    public static let entryPut: AuditAction = "entry.put"
}
