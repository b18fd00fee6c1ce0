import Sodium

/// A custodian's answer to an ``UnlockRequest``: their share(s), decrypted from the vault with their identity and
/// re-encrypted to the request's ephemeral key, signed. It is a plain file the custodian sends back to the requester;
/// it never touches the store and reveals nothing to anyone but the requester.
///
/// Format (`"format": "escrow-unlock-approval", "version": 1`):
/// ```json
/// {
///   "approved_at": "…",
///   "approver": {"fingerprint": "FPR", "name": "bob", "signing_key": "…"},
///   "ephemeral_public_key": "<base64url X25519, fresh for this approval>",
///   "format": "escrow-unlock-approval",
///   "request_hash": "<hex, 32 bytes>",
///   "request_id": "<hex, 16 bytes>",
///   "shares": [{"generation": 1, "sealed_share": "…", "vault_id": "…", "vault_name": "acme", "x": 2}],
///   "signature": "<base64url>",
///   "version": 1
/// }
/// ```
/// Encryption is batch-friendly: one X25519 agreement between the approval's fresh ephemeral key and the request's
/// ephemeral key (``Sodium/BoxSharedKey``), a key derived for the context `escrow/unlock-share/v1 ‖ approval
/// ephemeral public key ‖ request ephemeral public key`, then one AEAD per share (see ``ApprovalShare``). The approver
/// signs `escrow-unlock-approval-v1\n` followed by the canonical JSON of everything but `signature`: the request hash,
/// the encrypted shares and the metadata.
public struct UnlockApproval: Hashable, Sendable {
    /// The `format` value.
    public static let format = "escrow-unlock-approval"
    /// The only version this build reads and writes.
    public static let version: Int64 = 1

    private static let signingPrefix = Array("escrow-unlock-approval-v1\n".utf8)
    private static let keyContext = Array("escrow/unlock-share/v1".utf8)

    /// The id of the request approved.
    public let requestID: HexBytes
    /// The hash of the request approved.
    public let requestHash: HexBytes
    /// The approving custodian.
    public let approver: SignerReference
    /// When the custodian approved.
    public let approvedAt: UTCTime
    /// The approval's ephemeral X25519 public key.
    public let ephemeralPublicKey: Base64Bytes
    /// One re-encrypted share per vault of the request.
    public let shares: [ApprovalShare]
    /// The approver's Ed25519 signature.
    public let signature: Base64Bytes

    /// A decrypted share to put into an approval.
    public struct ApprovalContribution: Sendable {
        /// The vault the share belongs to.
        public let target: UnlockTarget
        /// The share's x-coordinate.
        public let x: UInt8
        /// The share, in guarded memory.
        public let share: SecureBytes

        /// Pairs a share with its place.
        ///
        /// - Parameters:
        ///   - target: The request target (vault and generation).
        ///   - x: The share's x-coordinate.
        ///   - share: The share's bytes.
        public init(target: UnlockTarget, x: UInt8, share: SecureBytes) {
            self.target = target
            self.x = x
            self.share = share
        }
    }

    /// Where one share of a batch approval belongs: its vault (request target) and x-coordinate.
    public struct Place: Hashable, Sendable {
        /// The request target (vault and generation).
        public let target: UnlockTarget
        /// The share's x-coordinate.
        public let x: UInt8

        /// Names a share's place.
        ///
        /// - Parameters:
        ///   - target: The request target.
        ///   - x: The share's x-coordinate.
        public init(target: UnlockTarget, x: UInt8) {
            self.target = target
            self.x = x
        }
    }

    struct Document: Codable {
        var format: String
        var version: Int64
        var requestID: HexBytes
        var requestHash: HexBytes
        var approver: SignerReference
        var approvedAt: UTCTime
        var ephemeralPublicKey: Base64Bytes
        var shares: [ApprovalShare]
        var signature: Base64Bytes

        enum CodingKeys: String, CodingKey {
            case format, version, approver, shares, signature
            case requestID = "request_id"
            case requestHash = "request_hash"
            case approvedAt = "approved_at"
            case ephemeralPublicKey = "ephemeral_public_key"
        }

        func signedMessage() throws(EscrowError) -> [UInt8] {
            UnlockApproval.signingPrefix + JSONWriter.canonical(try JSONCoding.encode(self).removing("signature"))
        }
    }

    private init(document: Document) {
        requestID = document.requestID
        requestHash = document.requestHash
        approver = document.approver
        approvedAt = document.approvedAt
        ephemeralPublicKey = document.ephemeralPublicKey
        shares = document.shares
        signature = document.signature
    }

    var document: Document {
        Document(
            format: Self.format,
            version: Self.version,
            requestID: requestID,
            requestHash: requestHash,
            approver: approver,
            approvedAt: approvedAt,
            ephemeralPublicKey: ephemeralPublicKey,
            shares: shares,
            signature: signature
        )
    }

    private static func batchKey(shared: BoxSharedKey, approvalKey: [UInt8], requestKey: [UInt8]) -> SecureBytes {
        shared.derivedKey(context: keyContext + approvalKey + requestKey)
    }

    /// Re-encrypts shares to the request's ephemeral key and signs the approval. This is the low-level step; the
    /// checks (the approver is a custodian, the request is valid) are ``Store/approve(_:by:)``'s.
    ///
    /// - Parameters:
    ///   - contributions: The approver's decrypted shares, one per request target, all of the same length.
    ///   - request: The request approved.
    ///   - approver: The approving custodian; signs.
    ///   - time: Now.
    /// - Returns: The signed approval.
    /// - Throws: ``EscrowError/Code/invalidInput`` for no share or shares of different lengths;
    ///   ``EscrowError/Code/cryptoFailure`` if the request's key is refused.
    public static func seal(
        _ contributions: [ApprovalContribution],
        for request: UnlockRequest,
        by approver: CustodianIdentity,
        at time: UTCTime
    ) throws(EscrowError) -> UnlockApproval {
        guard let length = contributions.first?.share.count, contributions.allSatisfy({ $0.share.count == length })
        else { throw EscrowError(.invalidInput, "an approval carries at least one share, all of the same length") }
        let shares = SecureBytes(count: contributions.count * length)
        shares.withUnsafeMutableBytes { output in
            for (index, contribution) in contributions.enumerated() {
                contribution.share.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: output[(index * length)..<((index + 1) * length)])
                        .copyMemory(from: source)
                }
            }
        }
        return try seal(
            shares,
            places: contributions.map { Place(target: $0.target, x: $0.x) },
            for: request,
            by: approver,
            at: time
        )
    }

    /// Re-encrypts a batch of shares to the request's ephemeral key under ONE X25519 agreement (the approval's fresh
    /// ephemeral key with the request's), then one AEAD per share, and signs the approval.
    ///
    /// - Parameters:
    ///   - shares: The decrypted shares, back to back, all of the same length (`shares.count / places.count`).
    ///   - places: Where each share belongs, in the same order.
    ///   - request: The request approved.
    ///   - approver: The approving custodian; signs.
    ///   - time: Now.
    /// - Returns: The signed approval.
    /// - Throws: ``EscrowError/Code/invalidInput`` if `shares` is not `places.count` equal shares;
    ///   ``EscrowError/Code/cryptoFailure`` if the request's key is refused.
    /// - Complexity: One X25519 agreement, one AEAD per share, one signature.
    public static func seal(
        _ shares: SecureBytes,
        places: [Place],
        for request: UnlockRequest,
        by approver: CustodianIdentity,
        at time: UTCTime
    ) throws(EscrowError) -> UnlockApproval {
        guard !places.isEmpty, shares.count % places.count == 0, shares.count > 0 else {
            throw EscrowError(.invalidInput, "an approval carries at least one share, all of the same length")
        }
        let length = shares.count / places.count
        let ephemeral = BoxKeyPair()
        let shared: BoxSharedKey
        do {
            shared = try BoxSharedKey(publicKey: request.ephemeralPublicKey.bytes, secretKey: ephemeral.secretKey)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot encrypt to request \(request.code): its key is not usable")
        }
        let key = batchKey(
            shared: shared,
            approvalKey: ephemeral.publicKey,
            requestKey: request.ephemeralPublicKey.bytes
        )
        var sealedShares: [ApprovalShare] = []
        sealedShares.reserveCapacity(places.count)
        for (index, place) in places.enumerated() {
            let ad = ApprovalShare.associatedData(
                requestHash: request.hash,
                vaultID: place.target.vaultID.bytes,
                generation: place.target.generation,
                fingerprint: approver.publicIdentity.fingerprint,
                x: place.x
            )
            let sealed = try shares.withUnsafeBytes { (all) throws(EscrowError) -> [UInt8] in
                do throws(SodiumError) {
                    return try AEAD.seal(
                        UnsafeRawBufferPointer(rebasing: all[(index * length)..<((index + 1) * length)]),
                        key: key,
                        associatedData: ad
                    )
                } catch {
                    throw EscrowError(.cryptoFailure, "cannot encrypt the share: \(error.message)")
                }
            }
            sealedShares.append(
                ApprovalShare(
                    vaultID: place.target.vaultID,
                    vaultName: place.target.vaultName,
                    generation: place.target.generation,
                    x: place.x,
                    sealedShare: Base64Bytes(sealed)
                )
            )
        }
        var document = Document(
            format: format,
            version: version,
            requestID: request.id,
            requestHash: HexBytes(request.hash),
            approver: SignerReference(approver.publicIdentity),
            approvedAt: time,
            ephemeralPublicKey: Base64Bytes(ephemeral.publicKey),
            shares: sealedShares,
            signature: Base64Bytes([])
        )
        document.signature = Base64Bytes(approver.sign(try document.signedMessage()))
        return UnlockApproval(document: document)
    }

    /// Decrypts the share for one vault with the request's ephemeral key pair.
    ///
    /// - Parameters:
    ///   - share: One of ``shares``.
    ///   - requestKey: The request's ephemeral key pair (``UnlockRequest/ephemeralKeyPair(for:)``).
    /// - Returns: The share's bytes in guarded memory.
    /// - Throws: ``EscrowError/Code/tampered`` if it does not decrypt (a bad approval: the signature verified, so
    ///   the approver produced it).
    public func open(_ share: ApprovalShare, requestKey: BoxKeyPair) throws(EscrowError) -> SecureBytes {
        let key = try sharesKey(requestKey: requestKey)
        guard share.sealedShare.bytes.count >= AEAD.overhead else { throw undecryptable }
        let output = SecureBytes(count: share.sealedShare.bytes.count - AEAD.overhead)
        try output.withUnsafeMutableBytes { (output) throws(EscrowError) in try open(share, key: key, into: output) }
        return output
    }

    /// The key every share of this approval is encrypted under: ONE X25519 agreement between the request's ephemeral
    /// key and this approval's (then ``open(_:key:into:)`` per share).
    ///
    /// - Parameter requestKey: The request's ephemeral key pair.
    /// - Returns: The approval's batch key in guarded memory.
    /// - Throws: ``EscrowError/Code/tampered`` if the approval's ephemeral key is unusable.
    public func sharesKey(requestKey: BoxKeyPair) throws(EscrowError) -> SecureBytes {
        do {
            let shared = try BoxSharedKey(publicKey: ephemeralPublicKey.bytes, secretKey: requestKey.secretKey)
            return Self.batchKey(
                shared: shared,
                approvalKey: ephemeralPublicKey.bytes,
                requestKey: requestKey.publicKey
            )
        } catch {
            throw undecryptable
        }
    }

    /// Decrypts one share into caller-provided (guarded) memory with the approval's batch key (no allocation; on
    /// failure `output` is wiped).
    ///
    /// - Parameters:
    ///   - share: One of ``shares``.
    ///   - key: ``sharesKey(requestKey:)``.
    ///   - output: Receives the share (the sealed length minus ``Sodium/AEAD/overhead``).
    /// - Throws: ``EscrowError/Code/tampered`` if it does not decrypt.
    public func open(_ share: ApprovalShare, key: SecureBytes, into output: UnsafeMutableRawBufferPointer)
        throws(EscrowError)
    {
        let ad = ApprovalShare.associatedData(
            requestHash: requestHash.bytes,
            vaultID: share.vaultID.bytes,
            generation: share.generation,
            fingerprint: approver.fingerprint,
            x: share.x
        )
        let opened = share.sealedShare.bytes.withUnsafeBytes { sealed in
            (try? AEAD.open(sealed, key: key, associatedData: ad, into: output)) != nil
        }
        guard opened else { throw undecryptable }
    }

    private var undecryptable: EscrowError {
        EscrowError(
            .tampered,
            "the share sent by \(approver.name) (\(approver.fingerprint)) does not decrypt with the request key"
        )
    }

    /// The file's bytes: pretty canonical JSON.
    ///
    /// - Returns: The UTF-8 bytes.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(document))
    }

    /// Parses an approval file and checks its fields and the approver's signature (whether the approver is a
    /// custodian of the vault, and the approval is for the request at hand, is checked against the request and the
    /// store).
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: Its path, for messages.
    /// - Returns: The approval.
    /// - Throws: ``EscrowError/Code/malformedFile``, ``EscrowError/Code/unsupportedVersion`` or
    ///   ``EscrowError/Code/tampered`` (the signature does not verify: the file was altered), naming `source` and the
    ///   approver.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> UnlockApproval {
        let (document, _) = try VersionedDocument.decode(
            Document.self,
            from: bytes,
            format: format,
            version: version,
            source: source
        )
        func malformed(_ what: String) -> EscrowError { EscrowError(.malformedFile, "\(source): \(what)") }
        guard document.requestID.bytes.count == UnlockRequest.idCount, document.requestHash.bytes.count == 32 else {
            throw malformed("the request id or hash has the wrong length")
        }
        guard document.ephemeralPublicKey.bytes.count == BoxKeyPair.publicKeyCount else {
            throw malformed("the approval key must be 32 bytes")
        }
        guard !document.shares.isEmpty else { throw malformed("the approval carries no share") }
        var vaultIDs = Set<HexBytes>()
        for share in document.shares {
            guard share.vaultID.bytes.count == Vault.idCount, share.generation >= 1, share.x != 0,
                share.sealedShare.bytes.count == MasterKey.byteCount + AEAD.overhead
            else { throw malformed("the share for vault '\(NameRules.printable(share.vaultName))' is malformed") }
            guard vaultIDs.insert(share.vaultID).inserted else {
                throw malformed("two shares for vault '\(NameRules.printable(share.vaultName))'")
            }
        }
        let approver = try document.approver.publicIdentity(source: source)
        guard approver.isValidSignature(document.signature.bytes, for: try document.signedMessage()) else {
            throw EscrowError(
                .tampered,
                "\(source): the signature of \(document.approver.name) (\(document.approver.fingerprint)) does not verify: the approval was altered"
            )
        }
        return UnlockApproval(document: document)
    }
}
