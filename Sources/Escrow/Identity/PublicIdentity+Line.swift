import Sodium

extension PublicIdentity {
    /// The first word of a public identity line; a different version prefix is refused.
    public static let linePrefix = "escrow-custodian-v1"

    private static let checkDomain = Array("escrow-custodian-line-v1\n".utf8)

    private static func check(of body: String) -> String {
        Hex.encode(Array(GenericHash.hash(checkDomain + Array(body.utf8), count: 16).prefix(4)))
    }

    /// The identity as one copy-pasteable line:
    /// `escrow-custodian-v1 NAME <EMAIL> KEY FINGERPRINT CHECK`.
    ///
    /// `KEY` is the Ed25519 public key in base64url, `FINGERPRINT` its ``Fingerprint`` and `CHECK` eight hex digits of
    /// BLAKE2b over everything before it, so a mangled paste (a changed letter in the name, a truncated key) is refused
    /// by ``init(line:)``. `<>` stands for "no e-mail".
    public var line: String {
        let body = "\(Self.linePrefix) \(name) <\(email)> \(Base64URL.encode(signingKey)) \(fingerprint)"
        return "\(body) \(Self.check(of: body))"
    }

    /// Parses a public identity line (surrounding whitespace is ignored).
    ///
    /// - Parameter line: The line as printed by `escrow custodian new` or ``line``.
    /// - Throws: ``EscrowError/Code/unsupportedVersion`` for another line version; ``EscrowError/Code/tampered`` if the
    ///   check or the fingerprint does not match (a damaged copy); ``EscrowError/Code/invalidInput`` for anything else.
    public init(line: String) throws(EscrowError) {
        let trimmed = line.trimmingCharacters(in: [" ", "\t", "\r", "\n", "\r\n"])
        let tokens = trimmed.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard let first = tokens.first, first.hasPrefix("escrow-custodian-") else {
            throw EscrowError(.invalidInput, "not a public identity line (it should start with '\(Self.linePrefix)')")
        }
        guard first == Self.linePrefix else {
            throw EscrowError(
                .unsupportedVersion,
                "public identity line version '\(NameRules.printable(first))' is not supported (expected \(Self.linePrefix))"
            )
        }
        guard tokens.count == 6 else {
            throw EscrowError(
                .invalidInput,
                "public identity line has \(tokens.count) words, expected 6 (prefix, name, <email>, key, fingerprint, check)"
            )
        }
        let body = tokens[0..<5].joined(separator: " ")
        guard Self.check(of: body) == tokens[5] else {
            throw EscrowError(.tampered, "public identity line is damaged (its check does not match): copy it again")
        }
        let emailToken = tokens[2]
        guard emailToken.hasPrefix("<"), emailToken.hasSuffix(">"), emailToken.count >= 2 else {
            throw EscrowError(.invalidInput, "public identity line: the e-mail must be written <address> or <>")
        }
        let email = String(emailToken.dropFirst().dropLast())
        guard let key = Base64URL.decode(tokens[3]) else {
            throw EscrowError(.invalidInput, "public identity line: the key is not base64url")
        }
        try self.init(name: tokens[1], email: email, signingKey: key)
        guard fingerprint.description == tokens[4] else {
            throw EscrowError(
                .tampered,
                "public identity line: fingerprint \(NameRules.printable(tokens[4])) does not match the key"
            )
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
