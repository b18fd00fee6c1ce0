/// libsodium marks its pointer parameters non-null, but an empty Swift buffer may have no base address.
/// These helpers are the one place that bridges raw buffers to the `UInt8` pointers the C API takes.

/// Calls `body` with a non-null pointer to `buffer`'s bytes (a valid dummy byte when the buffer is empty).
@inline(__always)
func withInputPointer<R>(_ buffer: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>) -> R) -> R {
    if let base = buffer.baseAddress {
        return body(base.assumingMemoryBound(to: UInt8.self))
    }
    var dummy: UInt8 = 0
    return withUnsafePointer(to: &dummy) { body($0) }
}

/// Calls `body` with a non-null mutable pointer to `buffer`'s bytes (a dummy byte when the buffer is empty).
@inline(__always)
func withOutputPointer<R>(_ buffer: UnsafeMutableRawBufferPointer, _ body: (UnsafeMutablePointer<UInt8>) -> R) -> R {
    if let base = buffer.baseAddress {
        return body(base.assumingMemoryBound(to: UInt8.self))
    }
    var dummy: UInt8 = 0
    return withUnsafeMutablePointer(to: &dummy) { body($0) }
}
