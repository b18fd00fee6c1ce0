/// The public parameters of a TOTP entry (RFC 6238 / the `otpauth://` key-URI format), stored as the entry's
/// metadata. The seed itself is sealed.
public struct TOTPParameters: Hashable, Sendable {
    /// The HMAC hash function.
    public enum Algorithm: String, Hashable, Sendable, CaseIterable {
        /// HMAC-SHA-1, the default (and what AWS virtual MFA uses).
        case sha1 = "SHA1"
        /// HMAC-SHA-256.
        case sha256 = "SHA256"
        /// HMAC-SHA-512.
        case sha512 = "SHA512"
    }

    /// The accepted code lengths.
    public static let allowedDigits = 6...8
    /// The accepted time steps, in seconds.
    public static let allowedPeriods = 10...3600
    /// The accepted seed lengths in bytes (80 bits up to 1024 bits).
    public static let allowedSeedLengths = 10...128

    /// The hash function.
    public var algorithm: Algorithm
    /// The number of code digits.
    public var digits: Int
    /// The time step in seconds.
    public var period: Int
    /// The service that issued the seed (e.g. `Amazon Web Services`), if known.
    public var issuer: String?
    /// The account label (e.g. `root@123456789012`), if known.
    public var label: String?

    /// Creates parameters, validating the ranges.
    ///
    /// - Parameters:
    ///   - algorithm: The hash function (default SHA-1).
    ///   - digits: The code length (default 6).
    ///   - period: The time step (default 30 s).
    ///   - issuer: The issuer, if known.
    ///   - label: The account label, if known.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the parameter out of range.
    public init(
        algorithm: Algorithm = .sha1,
        digits: Int = 6,
        period: Int = 30,
        issuer: String? = nil,
        label: String? = nil
    ) throws(EscrowError) {
        guard Self.allowedDigits.contains(digits) else {
            throw EscrowError(.invalidInput, "TOTP digits must be 6, 7 or 8, not \(digits)")
        }
        guard Self.allowedPeriods.contains(period) else {
            throw EscrowError(.invalidInput, "TOTP period must be 10...3600 seconds, not \(period)")
        }
        for (name, value) in [("issuer", issuer), ("label", label)] {
            guard let value else { continue }
            guard !value.isEmpty, value.count <= 256 else {
                throw EscrowError(.invalidInput, "TOTP \(name) must be 1-256 printable characters")
            }
            if let hidden = NameRules.firstHiddenCharacter(in: value) {
                throw EscrowError(.invalidInput, "TOTP \(name) \(NameRules.describeHidden(hidden))")
            }
        }
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
        self.issuer = issuer
        self.label = label
    }

    /// The parameters as entry metadata: `algorithm`, `digits`, `period`, and `issuer` / `label` when known.
    public var metadata: [String: String] {
        var result = ["algorithm": algorithm.rawValue, "digits": String(digits), "period": String(period)]
        result["issuer"] = issuer
        result["label"] = label
        return result
    }

    /// Reads the parameters back from entry metadata.
    ///
    /// - Parameter metadata: A TOTP entry's metadata.
    /// - Throws: ``EscrowError/Code/invalidInput`` if a parameter is missing or out of range.
    public init(metadata: [String: String]) throws(EscrowError) {
        guard let algorithmText = metadata["algorithm"], let algorithm = Algorithm(rawValue: algorithmText),
            let digits = metadata["digits"].flatMap({ Int($0) }), let period = metadata["period"].flatMap({ Int($0) })
        else { throw EscrowError(.invalidInput, "TOTP metadata needs algorithm, digits and period") }
        try self.init(
            algorithm: algorithm,
            digits: digits,
            period: period,
            issuer: metadata["issuer"],
            label: metadata["label"]
        )
    }
}
