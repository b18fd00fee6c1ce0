import Sodium

extension Vault {
    struct Document: Codable {
        var format: String
        var version: Int64
        var id: HexBytes
        var name: String
        var state: VaultState
        var createdAt: UTCTime
        var updatedAt: UTCTime
        var generation: Int64
        var policy: VaultPolicy
        var publicKey: Base64Bytes
        var shares: ShareSet
        var metadata: [String: String]
        var entries: [String: VaultEntry]
        var lastWriter: SignerReference
        var signature: Base64Bytes

        enum CodingKeys: String, CodingKey {
            case format, version, id, name, state, generation, policy, shares, metadata, entries, signature
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case publicKey = "public_key"
            case lastWriter = "last_writer"
        }
    }

    var document: Document {
        Document(
            format: Self.format,
            version: Self.version,
            id: id,
            name: name,
            state: state,
            createdAt: createdAt,
            updatedAt: updatedAt,
            generation: generation,
            policy: policy,
            publicKey: publicKey,
            shares: shares,
            metadata: metadata,
            entries: entries,
            lastWriter: lastWriter,
            signature: signature
        )
    }

    /// The file's bytes: pretty canonical JSON.
    ///
    /// - Returns: The UTF-8 bytes.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(document))
    }

    /// Parses a vault file and checks its structure and every signature in it (the last writer's over the whole
    /// file, each depositor's over their entry version). Whether the signers are in the roster is the store's check.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: Its path, for messages.
    /// - Returns: The vault.
    /// - Throws: ``EscrowError/Code/malformedFile``, ``EscrowError/Code/unsupportedVersion`` or
    ///   ``EscrowError/Code/tampered`` (a signature or fingerprint mismatch), naming the field or entry.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> Vault {
        let value = try JSONParser.parse(bytes, source: source)
        try VersionedDocument.check(value, format: format, version: version, source: source)
        let document = try JSONCoding.decode(Document.self, from: value, source: source)
        let vault = Vault(
            id: document.id,
            name: document.name,
            state: document.state,
            createdAt: document.createdAt,
            updatedAt: document.updatedAt,
            generation: document.generation,
            policy: document.policy,
            publicKey: document.publicKey,
            shares: document.shares,
            metadata: document.metadata,
            entries: document.entries,
            lastWriter: document.lastWriter,
            signature: document.signature
        )
        guard try JSONCoding.encode(vault.document) == value else {
            throw EscrowError(.malformedFile, "\(source): unknown fields")
        }
        // The writer's signature first: a hand edit is reported as such, whatever field it touched. The parsed file
        // equals the vault's encoding (checked above), so the signed message comes from it directly.
        try vault.verifyWriterSignature(
            message: signingPrefix + JSONWriter.canonical(value.removing("signature")),
            source: source
        )
        try vault.validateStructure(source: source)
        try vault.verifyDepositSignatures(source: source)
        return vault
    }

    /// Checks everything that does not need a key: names, lengths, the policy, envelopes matching the policy, the
    /// entry histories.
    ///
    /// - Parameter source: The file, for messages.
    /// - Throws: ``EscrowError/Code/malformedFile`` or ``EscrowError/Code/tampered``.
    func validateStructure(source: String) throws(EscrowError) {
        func malformed(_ what: String) -> EscrowError { EscrowError(.malformedFile, "\(source): \(what)") }
        do {
            try NameRules.validateVaultName(name)
        } catch {
            throw malformed(error.message)
        }
        guard id.bytes.count == Self.idCount else { throw malformed("the vault id must be \(Self.idCount) bytes") }
        guard generation >= 1 else { throw malformed("generation must be at least 1") }
        guard publicKey.bytes.count == BoxKeyPair.publicKeyCount else {
            throw malformed("the public key must be 32 bytes")
        }
        try policy.validate(source: source)
        guard shares.ephemeralPublicKey.bytes.count == BoxKeyPair.publicKeyCount else {
            throw malformed("the ephemeral public key must be 32 bytes")
        }
        guard shares.digestKey.bytes.count == ShareDigest.keyCount else {
            throw malformed("the digest key must be 32 bytes")
        }
        guard shares.envelopes.count == policy.custodians.count else {
            throw malformed("\(shares.envelopes.count) encrypted shares for \(policy.custodians.count) custodians")
        }
        for (envelope, custodian) in zip(shares.envelopes, policy.custodians) {
            guard envelope.custodian == custodian.name, envelope.fingerprint == custodian.fingerprint,
                envelope.x == custodian.x
            else { throw malformed("the encrypted share of '\(envelope.custodian)' does not match the policy") }
            guard envelope.sealedShare.bytes.count == MasterKey.byteCount + AEAD.overhead,
                envelope.digest.bytes.count == ShareDigest.byteCount
            else { throw malformed("the encrypted share of '\(envelope.custodian)' has the wrong length") }
        }
        do {
            try VaultMetadata.validate(metadata)
        } catch {
            throw malformed(error.message)
        }
        for (entryName, entry) in entries {
            do {
                try NameRules.validateEntryName(entryName)
            } catch {
                throw malformed(error.message)
            }
            guard !entry.versions.isEmpty else { throw malformed("entry '\(entryName)' has no versions") }
            for (index, version) in entry.versions.enumerated() {
                guard version.version == index + 1 else {
                    throw malformed("entry '\(entryName)': version \(version.version) is out of sequence")
                }
                for (key, value) in version.metadata {
                    let keyIsValid =
                        !key.isEmpty && key.count <= 32
                        && key.unicodeScalars.allSatisfy {
                            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                        }
                    guard keyIsValid, value.count <= VaultMetadata.maximumValueLength,
                        !value.unicodeScalars.contains(where: NameRules.isHidden)
                    else {
                        throw malformed(
                            "entry '\(entryName)' version \(version.version) has invalid metadata '\(NameRules.printable(key))'"
                        )
                    }
                }
                let expected: EntryVersion.State = index == entry.versions.count - 1 ? .current : .superseded
                guard version.state == expected else {
                    throw malformed("entry '\(entryName)' version \(version.version) should be \(expected.rawValue)")
                }
            }
        }
    }
}
