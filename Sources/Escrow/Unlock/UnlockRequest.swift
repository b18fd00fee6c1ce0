import Sodium

/// A signed request for a quorum unlock: the file a requester hands to the custodians, who each answer with an
/// ``UnlockApproval``.
///
/// Format (`"format": "escrow-unlock-request", "version": 1`, pretty JSON with sorted keys):
/// ```json
/// {
///   "action": "open",
///   "created_at": "…", "expires_at": "…",
///   "customer": {"fingerprint": "FPR", "name": "acme-corp", "signing_key": "…"},   (release only)
///   "ephemeral_public_key": "<base64url X25519>",
///   "force_reason": "…",                                                          (closed vaults only)
///   "format": "escrow-unlock-request",
///   "id": "<16 random bytes, hex>",
///   "reason": "Billing dispute, ticket 4711",
///   "requester": {"fingerprint": "FPR", "name": "alice", "signing_key": "…"},
///   "sealed_ephemeral_key": "<base64url: the ephemeral secret key sealed to the requester>",
///   "signature": "<base64url>",
///   "targets": [{"entries": ["root-password"], "generation": 1, "vault_id": "…", "vault_name": "acme"}],
///   "version": 1
/// }
/// ```
/// The requester signs `escrow-unlock-request-v1\n` followed by the canonical JSON of everything but `signature`.
/// The **request hash** is BLAKE2b-256 of the canonical JSON of the whole signed document; approvals name it, so an
/// approval counts for this exact request only. Its first four bytes are the **request code** (`3F2A-91C4`) people
/// read to each other to make sure they look at the same request.
///
/// The ephemeral X25519 key receives the custodians' re-encrypted shares. Its secret half is sealed
/// (`crypto_box_seal`) to the requester's own X25519 key, so only the requester can use the approvals, and the
/// signature binds the key to this request.
public struct UnlockRequest: Hashable, Sendable {
    /// The `format` value.
    public static let format = "escrow-unlock-request"
    /// The only version this build reads and writes.
    public static let version: Int64 = 1
    /// The length of a request id.
    public static let idCount = 16
    /// The default lifetime (24 hours).
    public static let defaultLifetime: Int64 = 86_400
    /// The accepted lifetimes: one minute to seven days.
    public static let allowedLifetimes: ClosedRange<Int64> = 60...(7 * 86_400)

    private static let signingPrefix = Array("escrow-unlock-request-v1\n".utf8)

    /// The random request id (an executed request's id is in the audit log; it never executes again).
    public let id: HexBytes
    /// What the quorum is asked to do.
    public let action: UnlockAction
    /// The vaults concerned: one, or many for a bulk re-split (``Store/makeReshareRequest(_:by:lifetime:)``).
    public let targets: [UnlockTarget]
    /// The customer who receives the export bundle (`release` only).
    public let customer: SignerReference?
    /// Why, as the approvers read it and the audit log records it.
    public let reason: String
    /// Present when the vault is closed: why the unlock is forced.
    public let forceReason: String?
    /// Who asked and signed.
    public let requester: SignerReference
    /// When the request was made.
    public let createdAt: UTCTime
    /// After this time the request is refused.
    public let expiresAt: UTCTime
    /// The X25519 key the approvals encrypt shares to.
    public let ephemeralPublicKey: Base64Bytes
    /// The ephemeral secret key, sealed to the requester's X25519 key.
    public let sealedEphemeralKey: Base64Bytes
    /// The requester's Ed25519 signature.
    public let signature: Base64Bytes
    /// BLAKE2b-256 of the canonical signed document: what approvals name.
    public let hash: [UInt8]

    /// The request code: the first four bytes of ``hash`` as `3F2A-91C4`.
    public var code: String { Self.code(ofHash: hash) }

    /// The code of a request hash (`3F2A-91C4`).
    ///
    /// - Parameter hash: A request hash.
    /// - Returns: Its first four bytes in uppercase hex, dash in the middle.
    public static func code(ofHash hash: [UInt8]) -> String {
        let hex = Hex.encode(Array(hash.prefix(4))).uppercased()
        return "\(hex.prefix(4))-\(hex.dropFirst(4))"
    }

    /// The single target of a single-vault request (a bulk re-split names several: see
    /// ``Store/executeBatchReshare(_:approvals:requester:partial:using:)``).
    ///
    /// - Returns: The target.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a request naming several vaults.
    public func singleTarget() throws(EscrowError) -> UnlockTarget {
        guard targets.count == 1, let target = targets.first else {
            throw EscrowError(
                .invalidInput,
                "request \(code) names \(targets.count) vaults: it is a bulk re-split (use the batch status, approval and execution)"
            )
        }
        return target
    }

    struct Document: Codable {
        var format: String
        var version: Int64
        var id: HexBytes
        var action: UnlockAction
        var targets: [UnlockTarget]
        var customer: SignerReference?
        var reason: String
        var forceReason: String?
        var requester: SignerReference
        var createdAt: UTCTime
        var expiresAt: UTCTime
        var ephemeralPublicKey: Base64Bytes
        var sealedEphemeralKey: Base64Bytes
        var signature: Base64Bytes

        enum CodingKeys: String, CodingKey {
            case format, version, id, action, targets, customer, reason, requester, signature
            case forceReason = "force_reason"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case ephemeralPublicKey = "ephemeral_public_key"
            case sealedEphemeralKey = "sealed_ephemeral_key"
        }

        /// `escrow-unlock-request-v1\n` ‖ canonical JSON without `signature`.
        func signedMessage() throws(EscrowError) -> [UInt8] {
            UnlockRequest.signingPrefix + JSONWriter.canonical(try JSONCoding.encode(self).removing("signature"))
        }
    }

    private init(document: Document, hash: [UInt8]) {
        id = document.id
        action = document.action
        targets = document.targets
        customer = document.customer
        reason = document.reason
        forceReason = document.forceReason
        requester = document.requester
        createdAt = document.createdAt
        expiresAt = document.expiresAt
        ephemeralPublicKey = document.ephemeralPublicKey
        sealedEphemeralKey = document.sealedEphemeralKey
        signature = document.signature
        self.hash = hash
    }

    var document: Document {
        Document(
            format: Self.format,
            version: Self.version,
            id: id,
            action: action,
            targets: targets,
            customer: customer,
            reason: reason,
            forceReason: forceReason,
            requester: requester,
            createdAt: createdAt,
            expiresAt: expiresAt,
            ephemeralPublicKey: ephemeralPublicKey,
            sealedEphemeralKey: sealedEphemeralKey,
            signature: signature
        )
    }

    /// Makes and signs a request with a fresh ephemeral key. The caller (``Store/makeRequest(_:by:lifetime:)``) has
    /// checked the targets against the store.
    ///
    /// - Parameters:
    ///   - action: What to do.
    ///   - targets: The vaults concerned.
    ///   - customer: The customer, for `release`.
    ///   - reason: Why (required).
    ///   - forceReason: Why a closed vault is unlocked anyway, if it is closed.
    ///   - requester: Who asks; signs, and alone can unseal the ephemeral key.
    ///   - createdAt: Now.
    ///   - lifetime: Seconds until the request expires, within ``allowedLifetimes``.
    /// - Returns: The signed request.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a bad reason, lifetime, or fields that do not fit the action;
    ///   ``EscrowError/Code/cryptoFailure``.
    public static func make(
        action: UnlockAction,
        targets: [UnlockTarget],
        customer: PublicIdentity?,
        reason: String,
        forceReason: String?,
        requester: CustodianIdentity,
        createdAt: UTCTime,
        lifetime: Int64
    ) throws(EscrowError) -> UnlockRequest {
        guard allowedLifetimes.contains(lifetime) else {
            throw EscrowError(
                .invalidInput,
                "a request lives between 1 minute and 7 days, not \(lifetime) seconds",
                hint: .requestLifetime
            )
        }
        let ephemeral = BoxKeyPair()
        let sealed: [UInt8]
        do {
            sealed = try SealedBox.seal(ephemeral.secretKey, to: try requester.publicIdentity.boxPublicKey())
        } catch {
            throw EscrowError(.cryptoFailure, "cannot seal the request key to \(requester.publicIdentity.name)")
        }
        var document = Document(
            format: format,
            version: version,
            id: HexBytes(Sodium.randomBytes(idCount)),
            action: action,
            targets: targets,
            customer: customer.map(SignerReference.init),
            reason: reason,
            forceReason: forceReason,
            requester: SignerReference(requester.publicIdentity),
            createdAt: createdAt,
            expiresAt: UTCTime(secondsSinceEpoch: createdAt.secondsSinceEpoch + lifetime),
            ephemeralPublicKey: Base64Bytes(ephemeral.publicKey),
            sealedEphemeralKey: Base64Bytes(sealed),
            signature: Base64Bytes([])
        )
        do {
            try validate(document, source: "the request")
        } catch {
            throw EscrowError(.invalidInput, error.message)
        }
        document.signature = Base64Bytes(requester.sign(try document.signedMessage()))
        let value = try JSONCoding.encode(document)
        return UnlockRequest(document: document, hash: GenericHash.hash(JSONWriter.canonical(value), count: 32))
    }

    /// Unseals the ephemeral key pair with the requester's identity.
    ///
    /// - Parameter identity: The requester's unlocked identity.
    /// - Returns: The key pair whose public key is ``ephemeralPublicKey``.
    /// - Throws: ``EscrowError/Code/notAuthorized`` if `identity` is not the requester; ``EscrowError/Code/tampered``
    ///   if the sealed key does not open or does not match.
    public func ephemeralKeyPair(for identity: CustodianIdentity) throws(EscrowError) -> BoxKeyPair {
        guard identity.publicIdentity.signingKey == requester.signingKey.bytes else {
            throw EscrowError(
                .notAuthorized,
                "request \(code) was made by \(requester.name) (\(requester.fingerprint)): only they can open it, not \(identity.publicIdentity.name)"
            )
        }
        let boxKeys = try identity.boxKeyPair()
        let keyPair: BoxKeyPair
        do {
            keyPair = try BoxKeyPair(secretKey: try SealedBox.open(sealedEphemeralKey.bytes, with: boxKeys))
        } catch {
            throw EscrowError(.tampered, "request \(code): the sealed request key does not open with your identity")
        }
        guard keyPair.publicKey == ephemeralPublicKey.bytes else {
            throw EscrowError(.tampered, "request \(code): the sealed request key does not match its public key")
        }
        return keyPair
    }

    /// The file's bytes: pretty canonical JSON.
    ///
    /// - Returns: The UTF-8 bytes.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(document))
    }

    /// Parses a request file and checks everything that needs no store: format, fields, lifetime, and the
    /// requester's signature. (Whether the requester is in the roster, the vault exists and the request is still
    /// valid is checked against the store when it is approved or opened.)
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: Its path, for messages.
    /// - Returns: The request.
    /// - Throws: ``EscrowError/Code/malformedFile``, ``EscrowError/Code/unsupportedVersion`` or
    ///   ``EscrowError/Code/tampered`` (the signature does not verify), naming `source`.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> UnlockRequest {
        let (document, value) = try VersionedDocument.decode(
            Document.self,
            from: bytes,
            format: format,
            version: version,
            source: source
        )
        try validate(document, source: source)
        let requester = try document.requester.publicIdentity(source: source)
        guard requester.isValidSignature(document.signature.bytes, for: try document.signedMessage()) else {
            throw EscrowError(
                .tampered,
                "\(source): the signature of \(document.requester.name) (\(document.requester.fingerprint)) does not verify: the request was altered"
            )
        }
        return UnlockRequest(document: document, hash: GenericHash.hash(JSONWriter.canonical(value), count: 32))
    }

    private static func validate(_ document: Document, source: String) throws(EscrowError) {
        func malformed(_ what: String) -> EscrowError { EscrowError(.malformedFile, "\(source): \(what)") }
        guard document.id.bytes.count == idCount else { throw malformed("the request id must be \(idCount) bytes") }
        guard document.ephemeralPublicKey.bytes.count == BoxKeyPair.publicKeyCount,
            document.sealedEphemeralKey.bytes.count == BoxKeyPair.secretKeyCount + SealedBox.overhead
        else { throw malformed("the request key has the wrong length") }
        do {
            try NameRules.validateReason(document.reason)
            try NameRules.validateReason(document.forceReason)
        } catch {
            throw malformed(error.message)
        }
        let lifetime = document.expiresAt.secondsSinceEpoch - document.createdAt.secondsSinceEpoch
        guard allowedLifetimes.contains(lifetime) else {
            throw malformed("a request lives between 1 minute and 7 days (this one: \(lifetime) seconds)")
        }
        guard !document.targets.isEmpty else { throw malformed("the request names no vault") }
        guard document.targets.count == 1 || document.action == .reshare else {
            throw malformed("only a re-split names several vaults; an \(document.action.rawValue) request names one")
        }
        var vaultIDs = Set<HexBytes>()
        for target in document.targets {
            try target.validate(for: document.action, source: source)
            guard vaultIDs.insert(target.vaultID).inserted else {
                throw malformed("vault '\(target.vaultName)' is named twice")
            }
        }
        switch (document.action, document.customer) {
        case (.release, nil): throw malformed("a release request must name the customer")
        case (.release, let customer?): _ = try customer.publicIdentity(source: source)
        case (_, nil): break
        case (_, .some): throw malformed("only a release request names a customer")
        }
    }
}
