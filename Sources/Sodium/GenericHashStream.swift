internal import CSodium

/// Unkeyed BLAKE2b over a message given in parts (`crypto_generichash_init` / `_update` / `_final`): the digest of
/// the parts' concatenation, without building it (an event of tens of megabytes is hashed where it lies).
///
/// ```swift
/// var stream = GenericHashStream()
/// stream.update(header)
/// stream.update(body)
/// let digest = stream.finalize()  // == GenericHash.hash(header + body)
/// ```
///
/// For public data (the state is not kept in guarded memory).
public struct GenericHashStream: ~Copyable {
    private let state: UnsafeMutableRawPointer
    private let count: Int

    /// Starts a digest of `count` bytes.
    ///
    /// - Parameter count: The digest length, 16…64.
    /// - Precondition: `count` is within ``GenericHash/minimumCount``…``GenericHash/maximumCount``.
    public init(count: Int = GenericHash.defaultCount) {
        precondition(
            (GenericHash.minimumCount...GenericHash.maximumCount).contains(count),
            "BLAKE2b length must be 16...64"
        )
        Sodium.prepare()
        self.count = count
        // libsodium aligns the state to 64 bytes.
        state = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
        _ = crypto_generichash_init(OpaquePointer(state), nil, 0, count)
    }

    /// Appends `bytes` to the message.
    ///
    /// - Parameter bytes: The next part.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        withInputPointer(bytes) { input in
            _ = crypto_generichash_update(
                OpaquePointer(state),
                input,
                UInt64(bytes.count)
            )
        }
    }

    /// Appends `bytes` to the message.
    ///
    /// - Parameter bytes: The next part.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything appended.
    ///
    /// - Returns: The digest, of the length given at ``init(count:)``.
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: count)
        _ = crypto_generichash_final(OpaquePointer(state), &digest, count)
        return digest
    }

    deinit {
        sodium_memzero(state, crypto_generichash_statebytes())
        state.deallocate()
    }
}
