extension Vault {
    static let signingPrefix = Array("escrow-vault-v1\n".utf8)

    /// The bytes the last writer signs: `escrow-vault-v1\n` ‖ canonical JSON of the file without `signature`.
    ///
    /// - Returns: The message.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func signedMessage() throws(EscrowError) -> [UInt8] {
        Self.signingPrefix + JSONWriter.canonical(try JSONCoding.encode(document).removing("signature"))
    }

    /// Records `writer` as the last writer at `time` and signs the vault.
    ///
    /// - Parameters:
    ///   - writer: The identity writing the file.
    ///   - time: The write time.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public mutating func sign(by writer: CustodianIdentity, at time: UTCTime) throws(EscrowError) {
        updatedAt = time
        lastWriter = SignerReference(writer.publicIdentity)
        signature = Base64Bytes([])
        signature = Base64Bytes(writer.sign(try signedMessage()))
    }

    /// Verifies the last writer's signature and every depositor signature.
    ///
    /// - Parameter source: The file, for messages.
    /// - Throws: ``EscrowError/Code/tampered`` naming what does not verify.
    public func verifySignatures(source: String) throws(EscrowError) {
        try verifyWriterSignature(source: source)
        try verifyDepositSignatures(source: source)
    }

    /// Verifies the last writer's signature over the whole file.
    ///
    /// - Parameter source: The file, for messages.
    /// - Throws: ``EscrowError/Code/tampered`` if it does not verify.
    public func verifyWriterSignature(source: String) throws(EscrowError) {
        try verifyWriterSignature(message: try signedMessage(), source: source)
    }

    /// Verifies the last writer's signature over an already computed signed message (``decode(_:source:)`` has the
    /// parsed file at hand, so it need not encode the vault again).
    func verifyWriterSignature(message: [UInt8], source: String) throws(EscrowError) {
        let writer = try lastWriter.publicIdentity(source: source)
        guard writer.isValidSignature(signature.bytes, for: message) else {
            throw EscrowError(
                .tampered,
                "\(source): the signature of '\(lastWriter.name)' (\(lastWriter.fingerprint)) does not verify: the file was altered"
            )
        }
    }

    /// Verifies every depositor's signature over their entry version.
    ///
    /// - Parameter source: The file, for messages.
    /// - Throws: ``EscrowError/Code/tampered`` naming the entry and version that does not verify.
    public func verifyDepositSignatures(source: String) throws(EscrowError) {
        for entryName in entries.keys.sorted() {
            guard let entry = entries[entryName] else { continue }
            for version in entry.versions {
                let depositor = try version.depositor.publicIdentity(source: source)
                let message = try version.signedMessage(vaultID: id.bytes, entry: entryName, kind: entry.kind)
                guard depositor.isValidSignature(version.signature.bytes, for: message) else {
                    throw EscrowError(
                        .tampered,
                        "\(source): entry '\(entryName)' version \(version.version): the depositor's signature does not verify"
                    )
                }
            }
        }
    }
}
