internal import CSodium

extension Sodium {
    /// Overwrites `buffer` with zeros in a way the optimiser cannot remove (`sodium_memzero`).
    ///
    /// - Parameter buffer: The memory to wipe; may be empty.
    public static func memzero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    /// Compares two buffers in time that depends only on their lengths (`sodium_memcmp`).
    ///
    /// Lengths are treated as public: buffers of different lengths compare unequal immediately.
    /// - Parameters:
    ///   - a: The first buffer.
    ///   - b: The second buffer.
    /// - Returns: `true` when both buffers hold the same bytes.
    public static func constantTimeEquals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return sodium_memcmp(pa, pb, a.count) == 0
    }

    /// Compares two byte arrays in constant time (see ``constantTimeEquals(_:_:)-(UnsafeRawBufferPointer,_)``).
    ///
    /// - Parameters:
    ///   - a: The first array.
    ///   - b: The second array.
    /// - Returns: `true` when both hold the same bytes.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in constantTimeEquals(pa, pb) } }
    }
}
