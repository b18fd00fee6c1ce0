internal import CSodium

/// A fast cryptographic random generator: the ChaCha20 keystream (`crypto_stream_chacha20_ietf`, the construction
/// behind `randombytes_buf_deterministic`) keyed by 32 bytes from the operating system's CSPRNG.
///
/// Each ``fill(_:)`` uses the next 96-bit nonce, so the stream never repeats under one key. Create a new instance per
/// split or batch (that re-seeds from the OS). It is a class so that copies share one position and can never emit the
/// same bytes twice.
///
/// - Complexity: About the speed of ChaCha20 (GB/s), versus a system call per `randombytes_buf`.
public final class StreamRandom: RandomNumberGenerator {
    private let key: SecureBytes
    private var nonce = [UInt8](repeating: 0, count: 12)

    /// The largest number of bytes one ``fill(_:)`` may produce (2^32 ChaCha20 blocks of 64 bytes).
    public static let maximumFillCount = (1 << 32) * 64

    /// Keys a new stream with 32 fresh bytes from the operating system.
    public init() {
        key = SecureBytes.random(count: Int(crypto_stream_chacha20_ietf_keybytes()))
    }

    /// Keys a stream with a caller-chosen 32-byte seed. For deterministic tests only.
    ///
    /// - Parameter seed: Exactly 32 bytes.
    /// - Throws: ``SodiumError/Code/invalidLength`` unless `seed` has 32 bytes.
    /// - Warning: Never use a fixed seed outside tests: the output is then predictable.
    public init(seed: SecureBytes) throws(SodiumError) {
        try SodiumError.requireLength("stream seed", seed.count, Int(crypto_stream_chacha20_ietf_keybytes()))
        key = seed
    }

    /// Overwrites every byte of `buffer` with the next keystream bytes.
    ///
    /// - Parameter buffer: The memory to fill; may be empty.
    /// - Precondition: `buffer.count <= ` ``maximumFillCount``.
    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        precondition(buffer.count <= Self.maximumFillCount, "StreamRandom.fill is limited to 256 GiB per call")
        key.withUnsafeBytes { keyBytes in
            guard let keyBase = keyBytes.baseAddress else { return }
            _ = crypto_stream_chacha20_ietf(
                base.assumingMemoryBound(to: UInt8.self),
                UInt64(buffer.count),
                nonce,
                keyBase.assumingMemoryBound(to: UInt8.self)
            )
        }
        advanceNonce()
    }

    /// Returns the next 64 random bits (for `RandomNumberGenerator` clients such as `Int.random(in:using:)`).
    ///
    /// - Returns: Eight keystream bytes as an integer.
    public func next() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { fill($0) }
        return value
    }

    private func advanceNonce() {
        for index in nonce.indices {
            nonce[index] &+= 1
            if nonce[index] != 0 { return }
        }
    }
}
