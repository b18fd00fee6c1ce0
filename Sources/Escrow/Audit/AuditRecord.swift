/// One line of the audit log.
///
/// Each line is the compact canonical JSON (see `JSONWriter`) of an object with these members:
/// `version` (1), `seq` (1, 2, … without gaps), `time` (UTC), `action`, `vault` (`{"id", "name"}`, absent for
/// store-wide actions), `actor` (fingerprint) and `actor_name`, `reason` (absent when none was given), `details`
/// (string → string), `files` (`[{"path", "hash"}]`: every store file the action replaced, with the BLAKE2b-256 of its
/// new contents), `prev` (BLAKE2b-256 of the previous line, hex) and `signature` (the actor's Ed25519 signature over
/// `escrow-audit-v1\n` followed by the canonical JSON of the record without `signature`).
public struct AuditRecord: Hashable, Sendable, Codable {
    /// The record version this build reads and writes.
    public static let currentVersion: Int64 = 1

    /// A vault named by a record.
    public struct AuditVaultReference: Hashable, Sendable, Codable {
        /// The vault's random identifier.
        public var id: HexBytes
        /// The vault's name.
        public var name: String

        /// Names a vault.
        ///
        /// - Parameters:
        ///   - id: The vault identifier.
        ///   - name: The vault name.
        public init(id: HexBytes, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// A store file a record replaced, with the hash of its new contents.
    public struct FileHash: Hashable, Sendable, Codable {
        /// The path relative to the store, e.g. `vaults/acme.json`.
        public var path: String
        /// BLAKE2b-256 of the new contents.
        public var hash: HexBytes

        /// Pairs a path with a content hash.
        ///
        /// - Parameters:
        ///   - path: The store-relative path.
        ///   - hash: The contents' hash.
        public init(path: String, hash: HexBytes) {
            self.path = path
            self.hash = hash
        }
    }

    /// Always ``currentVersion`` for records this build writes.
    public var version: Int64
    /// The position in the log, starting at 1.
    public var seq: Int64
    /// When the action happened.
    public var time: UTCTime
    /// What happened.
    public var action: AuditAction
    /// The vault concerned, if any.
    public var vault: AuditVaultReference?
    /// The fingerprint of the custodian who did it and signed the record.
    public var actor: Fingerprint
    /// The actor's name at the time (for people reading the raw log).
    public var actorName: String
    /// The reason given, if any.
    public var reason: String?
    /// Action-specific public details (never a secret).
    public var details: [String: String]
    /// The files the action replaced.
    public var files: [FileHash]
    /// BLAKE2b-256 of the previous line.
    public var prev: HexBytes
    /// The actor's signature (empty until signed).
    public var signature: Base64Bytes

    enum CodingKeys: String, CodingKey {
        case version, seq, time, action, vault, actor, reason, details, files, prev, signature
        case actorName = "actor_name"
    }

    /// Creates an unsigned record.
    ///
    /// - Parameters:
    ///   - seq: The position in the log.
    ///   - time: When it happened.
    ///   - action: What happened.
    ///   - vault: The vault concerned.
    ///   - actor: The acting custodian.
    ///   - reason: The reason given.
    ///   - details: Public details.
    ///   - files: Replaced files with their new hashes.
    ///   - prev: The previous line's hash.
    public init(
        seq: Int64,
        time: UTCTime,
        action: AuditAction,
        vault: AuditVaultReference?,
        actor: PublicIdentity,
        reason: String?,
        details: [String: String],
        files: [FileHash],
        prev: [UInt8]
    ) {
        version = Self.currentVersion
        self.seq = seq
        self.time = time
        self.action = action
        self.vault = vault
        self.actor = actor.fingerprint
        actorName = actor.name
        self.reason = reason
        self.details = details
        self.files = files
        self.prev = HexBytes(prev)
        signature = Base64Bytes([])
    }

    private static let signingPrefix = Array("escrow-audit-v1\n".utf8)

    /// The bytes the actor signs: `escrow-audit-v1\n` ‖ canonical JSON without `signature`.
    ///
    /// - Returns: The message.
    /// - Throws: ``EscrowError/Code/malformedFile`` on an internal encoding failure.
    public func signedMessage() throws(EscrowError) -> [UInt8] {
        Self.signingPrefix + JSONWriter.canonical(try JSONCoding.encode(self).removing("signature"))
    }

    /// Signs the record.
    ///
    /// - Parameter actor: The acting custodian (must match ``actor``).
    /// - Throws: ``EscrowError/Code/notAuthorized`` if `actor` is not the record's actor.
    public mutating func sign(by actor: CustodianIdentity) throws(EscrowError) {
        guard actor.publicIdentity.fingerprint == self.actor else {
            throw EscrowError(.notAuthorized, "audit record actor \(self.actor) is not \(actor.publicIdentity)")
        }
        signature = Base64Bytes(actor.sign(try signedMessage()))
    }

    /// Whether the signature verifies under `key`.
    ///
    /// - Parameter key: The actor's public identity.
    /// - Returns: `true` for a valid signature by that key (and a matching fingerprint).
    public func isSigned(by key: PublicIdentity) -> Bool {
        guard key.fingerprint == actor, let message = try? signedMessage() else { return false }
        return key.isValidSignature(signature.bytes, for: message)
    }

    /// The log line: canonical JSON, without the newline.
    ///
    /// - Returns: The line's bytes.
    /// - Throws: ``EscrowError/Code/malformedFile`` on an internal encoding failure.
    public func line() throws(EscrowError) -> [UInt8] {
        JSONWriter.canonical(try JSONCoding.encode(self))
    }

    /// Parses one log line, requiring the canonical spelling (so a line has exactly one valid form).
    ///
    /// - Parameters:
    ///   - line: The line's bytes without the newline.
    ///   - lineNumber: Its 1-based line number for messages, or `nil` for "the last record".
    /// - Returns: The record.
    /// - Throws: ``EscrowError/Code/malformedFile`` or ``EscrowError/Code/unsupportedVersion``, naming the line.
    public static func parse(_ line: [UInt8], lineNumber: Int?) throws(EscrowError) -> AuditRecord {
        let source = lineNumber.map { "audit.log line \($0)" } ?? "audit.log (last record)"
        let value = try JSONParser.parse(line, source: source)
        guard case .object = value else { throw EscrowError(.malformedFile, "\(source): not a JSON object") }
        guard let version = value["version"]?.intValue else {
            throw EscrowError(.malformedFile, "\(source): field 'version' is missing")
        }
        guard version == currentVersion else {
            throw EscrowError(
                .unsupportedVersion,
                "\(source): record version \(version) is not supported (this escrow reads 1)"
            )
        }
        let record = try JSONCoding.decode(AuditRecord.self, from: value, source: source)
        // The chain hashes the line's bytes: it must be the one spelling of the record (no `null` for an absent
        // optional, canonical member order and escapes).
        guard try JSONCoding.encode(record) == value, JSONWriter.canonical(value) == line else {
            throw EscrowError(.malformedFile, "\(source): not in canonical form (edited by hand?)")
        }
        return record
    }
}
