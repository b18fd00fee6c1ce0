internal import CSodium

/// BLAKE2b (`crypto_generichash`), unkeyed or keyed (a MAC / keyed digest).
public enum GenericHash {
    /// The default digest length in bytes (32).
    public static let defaultCount = Int(crypto_generichash_bytes())
    /// The smallest digest length (16).
    public static let minimumCount = Int(crypto_generichash_bytes_min())
    /// The largest digest length (64).
    public static let maximumCount = Int(crypto_generichash_bytes_max())
    /// The smallest key length (16).
    public static let minimumKeyCount = Int(crypto_generichash_keybytes_min())
    /// The largest key length (64).
    public static let maximumKeyCount = Int(crypto_generichash_keybytes_max())

    /// Hashes `data`.
    ///
    /// - Parameters:
    ///   - data: The bytes to hash.
    ///   - key: An optional key of 16…64 bytes (makes the digest a MAC).
    ///   - count: The digest length, 16…64.
    /// - Returns: The digest.
    /// - Precondition: `count` and the key length are within the ranges above.
    public static func hash(_ data: UnsafeRawBufferPointer, key: SecureBytes? = nil, count: Int = defaultCount)
        -> [UInt8]
    {
        precondition((minimumCount...maximumCount).contains(count), "BLAKE2b length must be 16...64")
        Sodium.prepare()
        var digest = [UInt8](repeating: 0, count: count)
        withInputPointer(data) { input in
            if let key {
                precondition(
                    (minimumKeyCount...maximumKeyCount).contains(key.count),
                    "BLAKE2b key must be 16...64 bytes"
                )
                key.withUnsafeBytes { k in
                    withInputPointer(k) { kBase in
                        _ = crypto_generichash(&digest, count, input, UInt64(data.count), kBase, k.count)
                    }
                }
            } else {
                _ = crypto_generichash(&digest, count, input, UInt64(data.count), nil, 0)
            }
        }
        return digest
    }

    /// Keyed BLAKE2b into a caller-provided buffer (no allocation): for bulk digests whose message lives in guarded
    /// scratch memory, and for keys derived into guarded memory (see ``keyedDigest(of:key:count:)``).
    ///
    /// - Parameters:
    ///   - data: The bytes to hash.
    ///   - key: A 16…64-byte key.
    ///   - digest: Receives the digest; its length (16…64) is the digest length.
    /// - Precondition: The key and digest lengths are within the ranges above.
    public static func hash(
        _ data: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer,
        into digest: UnsafeMutableRawBufferPointer
    ) {
        precondition((minimumCount...maximumCount).contains(digest.count), "BLAKE2b length must be 16...64")
        precondition((minimumKeyCount...maximumKeyCount).contains(key.count), "BLAKE2b key must be 16...64 bytes")
        Sodium.prepare()
        withInputPointer(data) { input in
            withInputPointer(key) { keyBase in
                withOutputPointer(digest) { output in
                    _ = crypto_generichash(output, digest.count, input, UInt64(data.count), keyBase, key.count)
                }
            }
        }
    }

    /// Keyed BLAKE2b written straight into guarded memory, for digests that are themselves keys (a key derived from
    /// a shared secret): the digest never passes through an ordinary array that could be copied or left behind.
    ///
    /// - Parameters:
    ///   - data: The bytes to hash (a public context label, typically).
    ///   - key: The 16…64-byte secret key.
    ///   - count: The digest length, 16…64.
    /// - Returns: The digest in guarded memory.
    /// - Precondition: The key and digest lengths are within the ranges above.
    public static func keyedDigest(of data: UnsafeRawBufferPointer, key: SecureBytes, count: Int) -> SecureBytes {
        let digest = SecureBytes(count: count)
        digest.withUnsafeMutableBytes { output in
            key.withUnsafeBytes { keyBytes in hash(data, key: keyBytes, into: output) }
        }
        return digest
    }

    /// Hashes a byte array (see ``hash(_:key:count:)-(UnsafeRawBufferPointer,_,_)``).
    ///
    /// - Parameters:
    ///   - data: The bytes to hash.
    ///   - key: An optional 16…64-byte key.
    ///   - count: The digest length, 16…64.
    /// - Returns: The digest.
    public static func hash(_ data: [UInt8], key: SecureBytes? = nil, count: Int = defaultCount) -> [UInt8] {
        data.withUnsafeBytes { hash($0, key: key, count: count) }
    }

    /// Hashes a secret held in guarded memory.
    ///
    /// - Parameters:
    ///   - data: The secret to hash.
    ///   - key: An optional 16…64-byte key.
    ///   - count: The digest length, 16…64.
    /// - Returns: The digest.
    public static func hash(_ data: SecureBytes, key: SecureBytes? = nil, count: Int = defaultCount) -> [UInt8] {
        data.withUnsafeBytes { hash($0, key: key, count: count) }
    }
}
