public import Sodium

/// Secret bytes read from input: guarded storage with a used prefix, grown by doubling (each outgrown buffer is wiped
/// when released).
public struct SecretBuffer {
    /// The guarded storage; only the first ``count`` bytes are used.
    public private(set) var storage: SecureBytes
    /// How many bytes are used.
    public private(set) var count: Int

    /// Wraps storage whose first `count` bytes are used.
    ///
    /// - Parameters:
    ///   - storage: The guarded storage.
    ///   - count: The used prefix's length.
    /// - Precondition: `count <= storage.count`.
    public init(storage: SecureBytes, count: Int) {
        precondition(count <= storage.count, "the used prefix exceeds the storage")
        self.storage = storage
        self.count = count
    }

    /// Calls `body` with the used bytes.
    ///
    /// - Parameter body: Reads the bytes; they must not escape.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let used = count
        return try storage.withUnsafeBytes { raw throws(E) in try body(UnsafeRawBufferPointer(rebasing: raw[0..<used]))
        }
    }

    /// Appends the bytes of `other`.
    ///
    /// - Parameter other: The bytes to append.
    public mutating func append(_ other: SecureBytes) {
        reserve(count + other.count)
        let used = count
        other.withUnsafeBytes { source in
            storage.withUnsafeMutableBytes { target in
                UnsafeMutableRawBufferPointer(rebasing: target[used..<(used + source.count)]).copyMemory(from: source)
            }
        }
        count += other.count
    }

    /// Grows the guarded storage (by doubling) to hold at least `capacity` bytes.
    private mutating func reserve(_ capacity: Int) {
        while storage.count < capacity {
            let bigger = SecureBytes(count: max(2 * storage.count, 1 << 16))
            storage.withUnsafeBytes { old in
                bigger.withUnsafeMutableBytes { new in
                    if let source = old.baseAddress, let target = new.baseAddress, old.count > 0 {
                        target.copyMemory(from: source, byteCount: old.count)
                    }
                }
            }
            storage = bigger  // the old buffer is wiped and freed on release
        }
    }

    /// Reads until end of file, doubling the guarded storage when it fills up.
    ///
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - name: What to call it in messages.
    /// - Throws: ``PlatformError/Code/ioFailure`` naming `name`.
    public mutating func appendRest(of fd: Int32, name: String) throws(PlatformError) {
        while true {
            reserve(count + 1)
            let used = count
            let read = try storage.withUnsafeMutableBytes { raw throws(PlatformError) in
                try FileDescriptorIO.readSome(
                    fd,
                    into: UnsafeMutableRawBufferPointer(rebasing: raw[used...]),
                    name: name
                )
            }
            if read == 0 { return }
            count += read
        }
    }
}
