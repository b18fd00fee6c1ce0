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
    /// Entries were opened by a quorum of approvals (`details.request_id`: the request, which never executes again).
    public static let unlockOpen: AuditAction = "unlock.open"
    /// Entries were opened in an in-room ceremony (the custodians typed their passphrases at one terminal).
    public static let unlockCeremony: AuditAction = "unlock.ceremony"
    /// An unlock was refused after shares were decrypted: a bad share (named in `details.bad_shares`) or a key
    /// that did not match. Nothing was opened or changed.
    public static let unlockFailed: AuditAction = "unlock.failed"
    /// A vault was released to its customer (export bundle written, state `released`).
    public static let vaultRelease: AuditAction = "vault.release"
    /// A vault was re-split to a new policy (same key, generation + 1).
    public static let vaultReshare: AuditAction = "vault.reshare"
    /// A vault was closed (state `closed`; everything kept).
    public static let vaultClose: AuditAction = "vault.close"
}
