import Sodium

/// Who holds a vault's master key and how many of them must agree: a threshold and the named custodians, each with
/// the Shamir x-coordinate of their share.
public struct VaultPolicy: Hashable, Sendable, Codable {
    /// One custodian of the vault.
    public struct Custodian: Hashable, Sendable, Codable {
        /// The custodian's name.
        public var name: String
        /// The fingerprint of ``signingKey``.
        public var fingerprint: Fingerprint
        /// The custodian's Ed25519 public key (its X25519 form receives the share).
        public var signingKey: Base64Bytes
        /// The x-coordinate of the custodian's share (1…255).
        public var x: UInt8

        enum CodingKeys: String, CodingKey {
            case name, fingerprint, x
            case signingKey = "signing_key"
        }

        /// Creates a policy entry.
        ///
        /// - Parameters:
        ///   - identity: The custodian's public identity.
        ///   - x: The share's x-coordinate.
        public init(identity: PublicIdentity, x: UInt8) {
            name = identity.name
            fingerprint = identity.fingerprint
            signingKey = Base64Bytes(identity.signingKey)
            self.x = x
        }

        /// The custodian's public identity (the e-mail is not part of a policy).
        ///
        /// - Returns: The identity.
        /// - Throws: ``EscrowError/Code/invalidInput`` for a bad name or key.
        public func publicIdentity() throws(EscrowError) -> PublicIdentity {
            try PublicIdentity(name: name, email: "", signingKey: signingKey.bytes)
        }
    }

    /// How many custodians must agree to open the vault (2…n).
    public var threshold: Int
    /// The custodians, in x-coordinate order.
    public var custodians: [Custodian]

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - threshold: The quorum size.
    ///   - custodians: The custodians with their x-coordinates.
    public init(threshold: Int, custodians: [Custodian]) {
        self.threshold = threshold
        self.custodians = custodians
    }

    /// `3 of 5`.
    public var summary: String { "\(threshold) of \(custodians.count)" }

    /// The custodian called `name`.
    ///
    /// - Parameter name: A custodian name.
    /// - Returns: The policy entry, or `nil`.
    public func custodian(named name: String) -> Custodian? {
        custodians.first { $0.name == name }
    }

    /// The custodian with this fingerprint.
    ///
    /// - Parameter fingerprint: A key fingerprint.
    /// - Returns: The policy entry, or `nil`.
    public func custodian(fingerprint: Fingerprint) -> Custodian? {
        custodians.first { $0.fingerprint == fingerprint }
    }

    /// Checks a threshold against a custodian count before a ceremony.
    ///
    /// - Parameters:
    ///   - threshold: The requested quorum.
    ///   - count: The number of custodians.
    /// - Throws: ``EscrowError/Code/invalidInput`` unless `2 <= threshold <= count <= 255`.
    public static func validate(threshold: Int, custodianCount count: Int) throws(EscrowError) {
        guard count >= 2 else { throw EscrowError(.invalidInput, "a vault needs at least 2 custodians, got \(count)") }
        guard count <= 255 else {
            throw EscrowError(.invalidInput, "a vault can have at most 255 custodians, got \(count)")
        }
        guard threshold >= 2 else {
            throw EscrowError(
                .invalidInput,
                "threshold must be at least 2 (one custodian alone must never open a vault)"
            )
        }
        guard threshold <= count else {
            throw EscrowError(.invalidInput, "threshold \(threshold) is larger than the \(count) custodians")
        }
    }

    /// Checks the policy's internal consistency.
    ///
    /// - Parameter source: The vault file, for messages.
    /// - Throws: ``EscrowError/Code/malformedFile`` or ``EscrowError/Code/tampered`` naming the custodian.
    public func validate(source: String) throws(EscrowError) {
        do {
            try Self.validate(threshold: threshold, custodianCount: custodians.count)
        } catch {
            throw EscrowError(.malformedFile, "\(source): \(error.message)")
        }
        var names = Set<String>()
        var xs = Set<UInt8>()
        var keys = Set<[UInt8]>()
        for custodian in custodians {
            let identity: PublicIdentity
            do {
                identity = try custodian.publicIdentity()
            } catch {
                throw EscrowError(.malformedFile, "\(source): \(error.message)")
            }
            guard identity.fingerprint == custodian.fingerprint else {
                throw EscrowError(
                    .tampered,
                    "\(source): custodian '\(custodian.name)' fingerprint does not match the key"
                )
            }
            guard custodian.x != 0 else {
                throw EscrowError(.malformedFile, "\(source): custodian '\(custodian.name)' has x = 0")
            }
            guard names.insert(custodian.name).inserted, xs.insert(custodian.x).inserted,
                keys.insert(custodian.signingKey.bytes).inserted
            else {
                throw EscrowError(
                    .malformedFile,
                    "\(source): custodian '\(custodian.name)' appears twice in the policy"
                )
            }
        }
    }
}
