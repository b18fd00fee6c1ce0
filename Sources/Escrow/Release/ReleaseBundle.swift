import Sodium

/// The export bundle written when a vault is released to its customer (reverse assumption): every current entry
/// sealed to the customer's public identity, with the vault's public metadata, signed by the custodian who ran the
/// release. Only the customer's identity opens it (`escrow bundle open`).
///
/// Format (`"format": "escrow-release-bundle", "version": 1`):
/// ```json
/// {
///   "approvers": [{"fingerprint": "FPR", "name": "bob", "signing_key": "…"}, …],
///   "created_at": "…",
///   "customer": {"fingerprint": "FPR", "name": "acme-corp", "signing_key": "…"},
///   "entries": [{"created_at": "…", "kind": "password", "metadata": {}, "name": "root-password",
///                "sealed_value": "…", "version": 2}],
///   "format": "escrow-release-bundle",
///   "id": "<16 random bytes, hex>",
///   "reason": "Contract ended",
///   "releaser": {"fingerprint": "FPR", "name": "alice", "signing_key": "…"},
///   "request_hash": "…", "request_id": "…",          (absent for an in-room release)
///   "signature": "<base64url>",
///   "vault_id": "…", "vault_metadata": {"account_id": "123456789012", …}, "vault_name": "acme",
///   "version": 1
/// }
/// ```
/// The releaser signs `escrow-release-bundle-v1\n` followed by the canonical JSON of everything but `signature`.
public struct ReleaseBundle: Hashable, Sendable {
    /// The `format` value.
    public static let format = "escrow-release-bundle"
    /// The only version this build reads and writes.
    public static let version: Int64 = 1

    private static let signingPrefix = Array("escrow-release-bundle-v1\n".utf8)

    /// A random identifier.
    public let id: HexBytes
    /// When the bundle was made.
    public let createdAt: UTCTime
    /// The released vault's identifier.
    public let vaultID: HexBytes
    /// The released vault's name.
    public let vaultName: String
    /// The vault's public metadata (the account it guarded).
    public let vaultMetadata: [String: String]
    /// The id of the request that released the vault (absent for an in-room release).
    public let requestID: HexBytes?
    /// The hash of that request.
    public let requestHash: HexBytes?
    /// Why the vault was released.
    public let reason: String
    /// The custodians whose shares released it.
    public let approvers: [SignerReference]
    /// Who ran the release and signed the bundle.
    public let releaser: SignerReference
    /// Who can open the bundle.
    public let customer: SignerReference
    /// Every current entry.
    public let entries: [BundleEntry]
    /// The releaser's signature.
    public let signature: Base64Bytes

    struct Document: Codable {
        var format: String
        var version: Int64
        var id: HexBytes
        var createdAt: UTCTime
        var vaultID: HexBytes
        var vaultName: String
        var vaultMetadata: [String: String]
        var requestID: HexBytes?
        var requestHash: HexBytes?
        var reason: String
        var approvers: [SignerReference]
        var releaser: SignerReference
        var customer: SignerReference
        var entries: [BundleEntry]
        var signature: Base64Bytes

        enum CodingKeys: String, CodingKey {
            case format, version, id, reason, approvers, releaser, customer, entries, signature
            case createdAt = "created_at"
            case vaultID = "vault_id"
            case vaultName = "vault_name"
            case vaultMetadata = "vault_metadata"
            case requestID = "request_id"
            case requestHash = "request_hash"
        }

        func signedMessage() throws(EscrowError) -> [UInt8] {
            ReleaseBundle.signingPrefix + JSONWriter.canonical(try JSONCoding.encode(self).removing("signature"))
        }
    }

    private init(document: Document) {
        id = document.id
        createdAt = document.createdAt
        vaultID = document.vaultID
        vaultName = document.vaultName
        vaultMetadata = document.vaultMetadata
        requestID = document.requestID
        requestHash = document.requestHash
        reason = document.reason
        approvers = document.approvers
        releaser = document.releaser
        customer = document.customer
        entries = document.entries
        signature = document.signature
    }

    var document: Document {
        Document(
            format: Self.format,
            version: Self.version,
            id: id,
            createdAt: createdAt,
            vaultID: vaultID,
            vaultName: vaultName,
            vaultMetadata: vaultMetadata,
            requestID: requestID,
            requestHash: requestHash,
            reason: reason,
            approvers: approvers,
            releaser: releaser,
            customer: customer,
            entries: entries,
            signature: signature
        )
    }

    /// Seals opened entries to the customer and signs the bundle.
    ///
    /// - Parameters:
    ///   - entries: Every current entry of the vault, opened.
    ///   - vault: The vault released.
    ///   - customer: The customer's public identity.
    ///   - releaser: Who runs the release; signs.
    ///   - approvers: The custodians whose shares were used.
    ///   - request: The request executed, or `nil` for an in-room release.
    ///   - reason: Why.
    ///   - time: Now.
    /// - Returns: The signed bundle.
    /// - Throws: ``EscrowError/Code/cryptoFailure`` if the customer's key is refused.
    public static func make(
        entries: [OpenedEntry],
        vault: Vault,
        customer: PublicIdentity,
        releaser: CustodianIdentity,
        approvers: [PublicIdentity],
        request: UnlockRequest?,
        reason: String,
        at time: UTCTime
    ) throws(EscrowError) -> ReleaseBundle {
        let recipient = try customer.boxPublicKey()
        var sealed: [BundleEntry] = []
        for entry in entries {
            let box = try EntryPlaintext.seal(
                entry.value,
                vaultID: vault.id.bytes,
                entry: entry.name,
                kind: entry.kind,
                version: entry.version,
                to: recipient
            )
            sealed.append(
                BundleEntry(
                    name: entry.name,
                    kind: entry.kind,
                    version: entry.version,
                    createdAt: entry.createdAt,
                    metadata: entry.metadata,
                    sealedValue: Base64Bytes(box)
                )
            )
        }
        var document = Document(
            format: format,
            version: version,
            id: HexBytes(Sodium.randomBytes(16)),
            createdAt: time,
            vaultID: vault.id,
            vaultName: vault.name,
            vaultMetadata: vault.metadata,
            requestID: request?.id,
            requestHash: request.map { HexBytes($0.hash) },
            reason: reason,
            approvers: approvers.map(SignerReference.init),
            releaser: SignerReference(releaser.publicIdentity),
            customer: SignerReference(customer),
            entries: sealed,
            signature: Base64Bytes([])
        )
        document.signature = Base64Bytes(releaser.sign(try document.signedMessage()))
        return ReleaseBundle(document: document)
    }

    /// Opens every entry with the customer's identity.
    ///
    /// - Parameter identity: The customer's unlocked identity.
    /// - Returns: The entries, in bundle order.
    /// - Throws: ``EscrowError/Code/notAuthorized`` if `identity` is not the bundle's customer;
    ///   ``EscrowError/Code/tampered`` if a value does not open or belongs to another entry.
    public func open(with identity: CustodianIdentity) throws(EscrowError) -> [OpenedEntry] {
        guard identity.publicIdentity.signingKey == customer.signingKey.bytes else {
            throw EscrowError(
                .notAuthorized,
                "this bundle is sealed to \(customer.name) (\(customer.fingerprint)), not to \(identity.publicIdentity.name) (\(identity.publicIdentity.fingerprint))"
            )
        }
        let keys = try identity.boxKeyPair()
        var opened: [OpenedEntry] = []
        for entry in entries {
            let value = try EntryPlaintext.open(
                entry.sealedValue.bytes,
                masterKey: keys,
                vaultID: vaultID.bytes,
                entry: entry.name,
                kind: entry.kind,
                version: entry.version
            )
            opened.append(
                OpenedEntry(
                    name: entry.name,
                    kind: entry.kind,
                    version: entry.version,
                    createdAt: entry.createdAt,
                    metadata: entry.metadata,
                    value: value
                )
            )
        }
        return opened
    }

    /// The file's bytes: pretty canonical JSON.
    ///
    /// - Returns: The UTF-8 bytes.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(document))
    }

    /// Parses a bundle and verifies the releaser's signature (the customer compares the releaser's fingerprint
    /// with the one they were told).
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: Its path, for messages.
    /// - Returns: The bundle.
    /// - Throws: ``EscrowError/Code/malformedFile``, ``EscrowError/Code/unsupportedVersion`` or
    ///   ``EscrowError/Code/tampered``, naming `source`.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> ReleaseBundle {
        let (document, _) = try VersionedDocument.decode(
            Document.self,
            from: bytes,
            format: format,
            version: version,
            source: source
        )
        func malformed(_ what: String) -> EscrowError { EscrowError(.malformedFile, "\(source): \(what)") }
        guard document.id.bytes.count == 16, document.vaultID.bytes.count == Vault.idCount else {
            throw malformed("an identifier has the wrong length")
        }
        guard (document.requestID == nil) == (document.requestHash == nil) else {
            throw malformed("request_id and request_hash go together")
        }
        var names = Set<String>()
        for entry in document.entries {
            do {
                try NameRules.validateEntryName(entry.name)
            } catch {
                throw malformed(error.message)
            }
            guard names.insert(entry.name).inserted else { throw malformed("entry '\(entry.name)' appears twice") }
        }
        _ = try document.customer.publicIdentity(source: source)
        for approver in document.approvers { _ = try approver.publicIdentity(source: source) }
        let releaser = try document.releaser.publicIdentity(source: source)
        guard releaser.isValidSignature(document.signature.bytes, for: try document.signedMessage()) else {
            throw EscrowError(
                .tampered,
                "\(source): the signature of \(document.releaser.name) (\(document.releaser.fingerprint)) does not verify: the bundle was altered"
            )
        }
        return ReleaseBundle(document: document)
    }
}
