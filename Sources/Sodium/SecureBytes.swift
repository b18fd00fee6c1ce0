internal import CSodium

/// Bytes of secret material in guarded memory: `sodium_malloc` (guard pages and a canary), locked against swapping
/// where the system allows it, and wiped with `sodium_memzero` when the last reference goes away.
///
/// Long-lived keys (a vault master key, an identity's private key) and every decrypted secret live only here.
/// The type is a reference: copies share one buffer, so a secret is never duplicated by accident.
/// `==` runs in constant time, and ``description`` never shows a byte.
///
/// - Important: Allocate one `SecureBytes` per batch, not per small secret: every instance costs guard pages.
public final class SecureBytes: @unchecked Sendable {
    // Safety: the buffer is owned exclusively by this instance; mutation goes through `withUnsafeMutableBytes`,
    // whose caller is responsible for not racing with readers, as with any class holding mutable memory.
    private let base: UnsafeMutableRawPointer
    /// The number of secret bytes.
    public let count: Int
    /// Whether `sodium_mlock` succeeded (it can fail when `RLIMIT_MEMLOCK` is small; the memory is still guarded).
    public let isLocked: Bool

    /// Test hook: called with the buffer after it has been wiped and before it is freed.
    var _didWipe: (@Sendable (UnsafeRawBufferPointer) -> Void)?

    /// Allocates `count` zero bytes of guarded memory.
    ///
    /// - Parameter count: The number of bytes; may be zero.
    /// - Precondition: `count >= 0`, and guarded memory is available (an allocation failure traps: a process that
    ///   cannot allocate guarded memory must not continue handling secrets).
    public init(count: Int) {
        precondition(count >= 0, "SecureBytes count must not be negative")
        Sodium.prepare()
        let allocation = Swift.max(count, 1)
        guard let pointer = sodium_malloc(allocation) else {
            preconditionFailure("sodium_malloc could not allocate \(allocation) bytes of guarded memory")
        }
        sodium_memzero(pointer, allocation)
        self.base = pointer
        self.count = count
        self.isLocked = sodium_mlock(pointer, allocation) == 0
    }

    /// Allocates guarded memory and lets `body` initialise it.
    ///
    /// - Parameters:
    ///   - count: The number of bytes.
    ///   - body: Writes the bytes; the buffer starts zero-filled. If it throws, the memory is wiped and freed.
    /// - Throws: Whatever `body` throws.
    public convenience init<E: Error>(
        count: Int,
        initializingWith body: (UnsafeMutableRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        self.init(count: count)
        try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// Copies `bytes` into guarded memory.
    ///
    /// - Parameter bytes: The source; the caller remains responsible for wiping it.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count)
        if let source = bytes.baseAddress, bytes.count > 0 {
            base.copyMemory(from: source, byteCount: bytes.count)
        }
    }

    /// Copies `bytes` into guarded memory.
    ///
    /// - Parameter bytes: The source array; the caller remains responsible for wiping it.
    public convenience init(copying bytes: [UInt8]) {
        self.init(count: bytes.count)
        bytes.withUnsafeBytes { source in
            if let pointer = source.baseAddress, source.count > 0 {
                base.copyMemory(from: pointer, byteCount: source.count)
            }
        }
    }

    /// Creates `count` uniformly random bytes from the operating system's CSPRNG (`randombytes_buf`).
    ///
    /// - Parameter count: The number of random bytes.
    /// - Returns: Fresh secret bytes, e.g. a symmetric key.
    public static func random(count: Int) -> SecureBytes {
        let bytes = SecureBytes(count: count)
        bytes.withUnsafeMutableBytes { Sodium.fillRandom($0) }
        return bytes
    }

    deinit {
        let allocation = Swift.max(count, 1)
        sodium_memzero(base, allocation)
        _didWipe?(UnsafeRawBufferPointer(start: base, count: allocation))
        if isLocked { _ = sodium_munlock(base, allocation) }
        sodium_free(base)
    }

    /// Calls `body` with read access to the secret bytes. Do not let the pointer escape.
    ///
    /// - Parameter body: Reads the bytes.
    /// - Returns: What `body` returns.
    /// - Throws: Whatever `body` throws.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with write access to the secret bytes. Do not let the pointer escape.
    ///
    /// - Parameter body: Reads or writes the bytes.
    /// - Returns: What `body` returns.
    /// - Throws: Whatever `body` throws.
    public func withUnsafeMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// Copies the bytes in `range` into a new guarded buffer.
    ///
    /// - Parameter range: Byte offsets within `0..<count`.
    /// - Returns: The copy.
    /// - Precondition: `range` lies within the buffer.
    public func slice(_ range: Range<Int>) -> SecureBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "SecureBytes slice out of range")
        return withUnsafeBytes { all in SecureBytes(copying: UnsafeRawBufferPointer(rebasing: all[range])) }
    }

    /// Overwrites the bytes with zeros now, without waiting for release.
    public func wipe() {
        sodium_memzero(base, Swift.max(count, 1))
    }
}

extension SecureBytes: Equatable {
    /// Constant-time comparison of contents (the lengths are public).
    ///
    /// - Returns: `true` when both buffers hold the same bytes.
    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in Sodium.constantTimeEquals(a, b) } }
    }
}

extension SecureBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `SecureBytes(<redacted>, N bytes)`: the length only, never the contents.
    public var description: String { "SecureBytes(<redacted>, \(count) bytes)" }
    /// Same as ``description``.
    public var debugDescription: String { description }
    /// A mirror without children, so `dump` and debuggers show no bytes.
    public var customMirror: Mirror { Mirror(self, children: ["contents": "<redacted>"]) }
}
