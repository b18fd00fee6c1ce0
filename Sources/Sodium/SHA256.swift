internal import CSodium

/// SHA-256 (`crypto_hash_sha256`), for interoperability and test vectors; prefer ``GenericHash`` elsewhere.
public enum SHA256 {
    /// The digest length in bytes (32).
    public static let byteCount = Int(crypto_hash_sha256_bytes())

    /// Hashes `data`.
    ///
    /// - Parameter data: The bytes to hash.
    /// - Returns: The 32-byte digest.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        Sodium.prepare()
        var digest = [UInt8](repeating: 0, count: byteCount)
        data.withUnsafeBytes { bytes in
            withInputPointer(bytes) { input in _ = crypto_hash_sha256(&digest, input, UInt64(bytes.count)) }
        }
        return digest
    }
}
