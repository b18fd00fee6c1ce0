/// `Array.withUnsafeBytes` is `rethrows`, which widens a typed error to `any Error`. These helpers keep the type.
extension Array where Element == UInt8 {
    /// Calls `body` with the array's bytes, preserving `body`'s typed error.
    @inline(__always)
    func withTypedBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { bytes in Result { () throws(E) -> R in try body(bytes) } }
        return try result.get()
    }

    /// Calls `body` with the array's mutable bytes, preserving `body`'s typed error.
    @inline(__always)
    mutating func withTypedMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let result: Result<R, E> = withUnsafeMutableBytes { bytes in Result { () throws(E) -> R in try body(bytes) } }
        return try result.get()
    }
}
