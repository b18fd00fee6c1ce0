import Sodium

/// The digest published beside every sealed share value, so that a wrong value is named before any combination and
/// pinned on whoever made it: BLAKE2b-256 over ``BindingEncoder`` context `escrow-share-digest-v2` and the fields
/// store id, vault id, entry, version id, generation, re-split, path, x (see ``SharePosition``), then the 32-byte value.
///
/// The message holding the value is assembled in guarded memory and wiped. The digest of a 32-byte uniformly random
/// value reveals nothing useful about it.
public enum ComponentDigest {
    /// The digest length (32).
    public static let byteCount = 32
    /// The length of a share value (32: one byte per byte of the version key).
    public static let valueCount = KeyCommitment.keyCount

    /// The scratch length ``compute(value:position:scratch:)`` needs for `position`.
    ///
    /// - Parameter position: Where the value sits.
    /// - Returns: A length in bytes.
    public static func scratchCount(position: SharePosition) -> Int {
        encodedContext.count + position.fields.count + 4 + valueCount
    }

    /// Computes the digest of a share value.
    ///
    /// - Parameters:
    ///   - value: The 32-byte value.
    ///   - position: Where it sits.
    /// - Returns: ``byteCount`` bytes.
    /// - Precondition: `value.count == valueCount`.
    public static func compute(value: UnsafeRawBufferPointer, position: SharePosition) -> [UInt8] {
        let scratch = SecureBytes(count: scratchCount(position: position))
        defer { scratch.wipe() }
        return scratch.withUnsafeMutableBytes { compute(value: value, position: position, scratch: $0) }
    }

    /// Computes the digest of a share value, assembling the message in caller-provided guarded memory (the bulk form:
    /// no guarded allocation per value). The scratch is wiped before returning.
    ///
    /// - Parameters:
    ///   - value: The 32-byte value.
    ///   - position: Where it sits.
    ///   - scratch: At least ``scratchCount(position:)`` bytes, normally a slice of a ``SecureBytes``.
    /// - Returns: ``byteCount`` bytes.
    /// - Precondition: `value.count == valueCount` and the scratch is large enough.
    public static func compute(
        value: UnsafeRawBufferPointer,
        position: SharePosition,
        scratch: UnsafeMutableRawBufferPointer
    ) -> [UInt8] {
        let valueCount = Self.valueCount
        precondition(value.count == valueCount, "a share value has \(valueCount) bytes")
        // encoder(context:).bytes ‖ len(value) ‖ value, written in place.
        let context = Self.encodedContext
        let fields = position.fields
        let count = context.count + fields.count + 4 + valueCount
        precondition(scratch.count >= count, "the digest scratch is too small")
        let message = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<count])
        context.withUnsafeBytes { message.copyMemory(from: $0) }
        fields.withUnsafeBytes {
            UnsafeMutableRawBufferPointer(rebasing: message[context.count...]).copyMemory(from: $0)
        }
        withUnsafeBytes(of: UInt32(valueCount).bigEndian) {
            UnsafeMutableRawBufferPointer(rebasing: message[(context.count + fields.count)...]).copyMemory(from: $0)
        }
        UnsafeMutableRawBufferPointer(rebasing: message[(count - valueCount)...]).copyMemory(from: value)
        let digest = GenericHash.hash(UnsafeRawBufferPointer(message), count: byteCount)
        Sodium.memzero(message)
        return digest
    }

    /// Whether `value` matches `digest` at `position` (constant-time comparison).
    ///
    /// - Parameters:
    ///   - value: The candidate value.
    ///   - position: Where it sits.
    ///   - digest: The published digest.
    /// - Returns: `true` if they match; `false` also for a value or digest of the wrong length.
    public static func matches(value: UnsafeRawBufferPointer, position: SharePosition, digest: [UInt8]) -> Bool {
        guard value.count == valueCount, digest.count == byteCount else { return false }
        return Sodium.constantTimeEquals(compute(value: value, position: position), digest)
    }

    /// Whether `value` matches `digest` at `position` (constant-time comparison).
    ///
    /// - Parameters:
    ///   - value: The candidate value, in guarded memory.
    ///   - position: Where it sits.
    ///   - digest: The published digest.
    /// - Returns: `true` if they match.
    public static func matches(value: SecureBytes, position: SharePosition, digest: [UInt8]) -> Bool {
        value.withUnsafeBytes { matches(value: $0, position: position, digest: digest) }
    }

    /// The encoded context (`len ‖ escrow-share-digest-v2`).
    private static let encodedContext = BindingEncoder(context: "escrow-share-digest-v2").bytes
}
