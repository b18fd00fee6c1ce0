import Sodium

/// The identifier of an ``Event``: BLAKE2b-256 of the event's file bytes (without the trailing newline) under the
/// context `escrow-event-id-v2`, written as 64 lowercase hex digits (the file's name).
///
/// Identifiers order by their bytes; that order breaks ties between events of equal height in the canonical order.
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number of bytes in an identifier (32).
    public static let byteCount = 32

    // The 32 bytes as four big-endian words: cheap to hash and compare in graphs of 100,000 events.
    private let word0: UInt64
    private let word1: UInt64
    private let word2: UInt64
    private let word3: UInt64

    /// Wraps 32 bytes.
    ///
    /// - Parameter bytes: The identifier's bytes.
    /// - Throws: ``EscrowError/Code/invalidInput`` unless there are exactly 32 bytes.
    public init(bytes: [UInt8]) throws(EscrowError) {
        guard bytes.count == Self.byteCount else {
            throw EscrowError(.invalidInput, "an event id has \(Self.byteCount) bytes, not \(bytes.count)")
        }
        self.init(checked: bytes)
    }

    private init(checked bytes: [UInt8]) {
        assert(bytes.count == Self.byteCount)
        func word(_ start: Int) -> UInt64 {
            bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        word0 = word(0)
        word1 = word(8)
        word2 = word(16)
        word3 = word(24)
    }

    /// Parses the 64 lowercase hex digits of an identifier (a file name, a command-line argument, an anchor).
    ///
    /// - Parameter hex: The text.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the text unless it is exactly 64 lowercase hex digits.
    public init(hex: String) throws(EscrowError) {
        guard hex.utf8.count == Self.byteCount * 2, let bytes = Hex.decode(hex) else {
            let shown = hex.utf8.count > 80 ? String(hex.prefix(80)) + "…" : hex
            throw EscrowError(
                .invalidInput,
                "'\(shown.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "?" }.joined())' "
                    + "is not an event id (64 lowercase hex digits)"
            )
        }
        try self.init(bytes: bytes)
    }

    /// Parses 64 lowercase hex digits given as UTF-8 bytes (a file name read from a directory), without making a
    /// string: `nil` unless they are exactly that.
    ///
    /// - Parameter hex: The bytes.
    init?(hexDigits hex: UnsafeRawBufferPointer) {
        guard hex.count == Self.byteCount * 2,
            let word0 = Self.word(hex, at: 0), let word1 = Self.word(hex, at: 16),
            let word2 = Self.word(hex, at: 32), let word3 = Self.word(hex, at: 48)
        else { return nil }
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Reads the identifier stored as 32 bytes at `offset` of `raw` (a fold snapshot's table of ids), without
    /// making an array per id.
    ///
    /// - Precondition: `offset + 32 <= raw.count`.
    init(raw: UnsafeRawBufferPointer, at offset: Int) {
        word0 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        word1 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        word2 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
        word3 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
    }

    /// The first 8 bytes, big-endian: what orders identifiers first (an ``EventIndex`` buckets by its top bits).
    var leadingWord: UInt64 { word0 }

    /// The word written by the 16 lowercase hex digits at `start`, or `nil` if one is not such a digit.
    private static func word(_ hex: UnsafeRawBufferPointer, at start: Int) -> UInt64? {
        var word: UInt64 = 0
        var invalid: UInt8 = 0
        for index in start..<start + 16 {
            let byte = hex[index]
            // '0'...'9' → 0...9 and 'a'...'f' → 10...15 without a branch; anything else sets a bit of `invalid`.
            let isDigit = byte &- UInt8(ascii: "0") < 10
            let isLetter = byte &- UInt8(ascii: "a") < 6
            let digit = isDigit ? byte &- UInt8(ascii: "0") : byte &- UInt8(ascii: "a") &+ 10
            invalid |= (isDigit || isLetter) ? 0 : 1
            word = word << 4 | UInt64(digit & 0x0F)
        }
        return invalid == 0 ? word : nil
    }

    /// The identifier of the event whose file bytes, without the trailing newline, are `content`.
    ///
    /// - Parameter content: The canonical JSON of the event.
    /// - Returns: BLAKE2b-256 over the context `escrow-event-id-v2` and `content` (length-prefixed).
    static func hashing(_ content: some Collection<UInt8>) -> EventID {
        hashing(contentCount: content.count) { stream in
            let streamed: Void? = content.withContiguousStorageIfAvailable { stream.update(UnsafeRawBufferPointer($0)) }
            if streamed == nil { stream.update(Array(content)) }
        }
    }

    /// The id of content given in parts: `feed` appends exactly `contentCount` bytes to the stream (the digest of
    /// ``hashing(_:)`` over their concatenation, without building it).
    ///
    /// - Parameters:
    ///   - contentCount: The length of the content `feed` appends.
    ///   - feed: Appends the content.
    /// - Returns: The id.
    static func hashing(contentCount: Int, _ feed: (inout GenericHashStream) -> Void) -> EventID {
        // The context and the content's length, then the content where it lies (an event can be tens of megabytes).
        var prefix = BindingEncoder(context: "escrow-event-id-v2").bytes
        prefix += BindingEncoder.lengthPrefix(contentCount)
        var stream = GenericHashStream(count: byteCount)
        stream.update(prefix)
        feed(&stream)
        return EventID(checked: stream.finalize())
    }

    /// The first byte (the name of the directory holding the event's file, in hex).
    var firstByte: UInt8 { UInt8(truncatingIfNeeded: word0 >> 56) }

    /// The 32 bytes.
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(Self.byteCount)
        for word in [word0, word1, word2, word3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return output
    }

    /// The 64 lowercase hex digits (the event's file name without `.json`).
    public var description: String { Hex.encode(bytes) }

    /// The first 12 hex digits, for display in lists and messages.
    public var short: String { String(description.prefix(12)) }

    /// The first 20 hex digits in uppercase groups of four, e.g. `3F2A-91C4-0B7D-55E2-A1C9`: what people compare out of
    /// band when they pin a store's genesis.
    public var fingerprint: String {
        let digits = Array(description.prefix(20).uppercased())
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, index % 4 == 0 { text.append("-") }
            text.append(digit)
        }
        return text
    }

    /// Orders by bytes (lexicographically).
    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.word0, lhs.word1, lhs.word2, lhs.word3) < (rhs.word0, rhs.word1, rhs.word2, rhs.word3)
    }
}
