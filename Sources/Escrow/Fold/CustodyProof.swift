import Sodium

/// The custody challenge's response and check (see ``CustodyChallenge``).
///
/// `response = BLAKE2b-256(escrow-custody-response-v2 ‖ challenge ‖ custodian key)` and
/// `check = BLAKE2b-256(escrow-custody-check-v2 ‖ response)`: the challenge's creator publishes the check, the
/// custodian publishes the response after opening the challenge, and anyone verifies one against the other.
public enum CustodyProof {
    /// The size of a challenge.
    public static let challengeCount = 32

    /// The response to a challenge.
    ///
    /// - Parameters:
    ///   - challenge: The opened challenge.
    ///   - key: The custodian's Ed25519 public key.
    /// - Returns: 32 bytes.
    public static func response(challenge: SecureBytes, key: [UInt8]) -> [UInt8] {
        var encoder = BindingEncoder(context: "escrow-custody-response-v2")
        challenge.withUnsafeBytes { encoder.append(Array($0)) }
        encoder.append(key)
        return GenericHash.hash(encoder.bytes, count: 32)
    }

    /// The public check of a response.
    ///
    /// - Parameter response: The response.
    /// - Returns: 32 bytes.
    public static func check(response: [UInt8]) -> [UInt8] {
        var encoder = BindingEncoder(context: "escrow-custody-check-v2")
        encoder.append(response)
        return GenericHash.hash(encoder.bytes, count: 32)
    }

    /// Whether `response` answers the challenge whose check is `check`.
    ///
    /// - Parameters:
    ///   - response: The published response.
    ///   - expected: The published check.
    /// - Returns: `true` if they match.
    public static func verifies(response: [UInt8], check expected: [UInt8]) -> Bool {
        Sodium.constantTimeEquals(check(response: response), expected)
    }
}
