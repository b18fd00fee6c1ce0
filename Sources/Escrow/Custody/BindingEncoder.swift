/// Builds the byte strings that v2 hashes, authenticates and signs: a fixed context string, then fields, each
/// preceded by its length.
///
/// Layout: `len(context) ‖ context ‖ len(field₁) ‖ field₁ ‖ len(field₂) ‖ field₂ ‖ …`, where every `len` is a 4-byte
/// big-endian byte count. Strings are their UTF-8 bytes; integers are 8-byte big-endian fields and carry the same
/// 4-byte length (`00 00 00 08`), so every field has one shape and nothing is ever concatenated without a length.
/// Two different field sequences under one context therefore never encode to the same bytes.
///
/// ```swift
/// var encoder = BindingEncoder(context: "ab")
/// encoder.append([1, 2])        // 00 00 00 02 01 02
/// encoder.append("é")           // 00 00 00 02 c3 a9
/// encoder.append(UInt64(258))   // 00 00 00 08 00 00 00 00 00 00 01 02
/// // encoder.bytes == 00 00 00 02 61 62 ‖ the three fields above
/// ```
///
/// - Important: For public data only (identifiers, names, coordinates): the bytes live in an ordinary array, which is
///   not wiped. Secret fields are appended by the caller in guarded memory (see ``ComponentDigest``).
public struct BindingEncoder: Hashable, Sendable {
    /// The encoded context and fields so far.
    public private(set) var bytes: [UInt8]

    /// Starts an encoding with its context string (length-prefixed like every field).
    ///
    /// - Parameter context: A fixed ASCII label naming the use, e.g. `escrow-value-v2`.
    public init(context: String) {
        bytes = []
        // Room for a position's fields (about 200 bytes) without regrowing on every append.
        bytes.reserveCapacity(256)
        append(bytesOf: context.utf8)
    }

    /// Starts an encoding of fields alone, with no context (fields to be appended after another encoder's context
    /// with ``appendEncoded(_:)``).
    ///
    /// - Parameter capacity: The expected length of the fields.
    init(fieldsReservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends one field: its 4-byte big-endian length, then its bytes.
    ///
    /// - Parameter field: The field's bytes; may be empty (encoded as `00 00 00 00`).
    /// - Precondition: `field.count` fits in 32 bits.
    public mutating func append(_ field: [UInt8]) {
        appendLength(field.count)
        bytes.append(contentsOf: field)
    }

    /// Appends one field from any collection of bytes (a slice of a large buffer), copied once.
    ///
    /// - Parameter field: The field's bytes.
    /// - Precondition: `field.count` fits in 32 bits.
    mutating func append(bytesOf field: some Collection<UInt8>) {
        // No exact reserve here: an encoder of many fields must keep the array's geometric growth.
        appendLength(field.count)
        bytes.append(contentsOf: field)
    }

    /// Appends fields another encoder already encoded (its ``bytes`` after the context): the same bytes as appending
    /// those fields one by one.
    ///
    /// - Parameter encoded: Length-prefixed fields, as ``bytes`` holds them.
    mutating func appendEncoded(_ encoded: [UInt8]) {
        bytes.append(contentsOf: encoded)
    }

    /// Appends a string field: its UTF-8 bytes, length-prefixed.
    ///
    /// - Parameter string: The string.
    /// - Precondition: The UTF-8 length fits in 32 bits.
    public mutating func append(_ string: String) {
        append(bytesOf: string.utf8)
    }

    /// Appends an integer field: 8 bytes, big-endian, length-prefixed (`00 00 00 08`). Signed values are encoded
    /// through their bit pattern (`UInt64(bitPattern:)`).
    ///
    /// - Parameter value: The integer.
    public mutating func append(_ value: UInt64) {
        appendLength(8)
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// The 4-byte big-endian prefix for a field of `count` bytes: what precedes a field that the caller appends
    /// itself (a secret value in guarded memory).
    ///
    /// - Parameter count: The field's length.
    /// - Returns: Four bytes.
    /// - Precondition: `count` fits in 32 bits.
    public static func lengthPrefix(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(UInt32.max), "a binding field is limited to 4 GiB")
        let length = UInt32(count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
    }

    private mutating func appendLength(_ count: Int) {
        precondition(count >= 0 && count <= Int(UInt32.max), "a binding field is limited to 4 GiB")
        withUnsafeBytes(of: UInt32(count).bigEndian) { bytes.append(contentsOf: $0) }
    }
}
