/// HashiCorp Vault's share layout: the bytes `y_1 … y_L ‖ x` (x is the last byte), printed base64.
///
/// Compatible both ways with Vault's `shamir` package, OpenBao, pyshamir and privy-io's library. Lines are
/// accepted as base64 (standard alphabet, padding optional) or hex (either case).
///
/// - Warning: The layout carries no threshold, split identifier or checksum. A missing, damaged or foreign
///   share combines to a wrong secret, not to an error. What can be refused is refused: x = 0, duplicate x,
///   mixed lengths, fewer than two shares, undecodable lines.
public enum VaultShare {
    /// The number of base64 characters that encode a share of `shareCount` bytes (`y ‖ x`).
    ///
    /// - Parameter shareCount: The share's byte count, secret length + 1.
    /// - Returns: The padded base64 length.
    public static func lineCount(shareCount: Int) -> Int { ConstantTimeCodec.base64Count(shareCount) }

    /// Writes one share as padded base64.
    ///
    /// - Parameters:
    ///   - share: The bytes `y ‖ x`.
    ///   - line: Receives ``lineCount(shareCount:)`` ASCII characters (no newline).
    /// - Precondition: `line.count == lineCount(shareCount: share.count)`.
    public static func encodeLine(_ share: UnsafeRawBufferPointer, into line: UnsafeMutableRawBufferPointer) {
        ConstantTimeCodec.encodeBase64(share, into: line)
    }

    /// How vault share lines are written: base64 (what Vault prints) or hex (either case).
    public enum LineEncoding: Hashable, Sendable {
        /// Standard base64, padding optional.
        case base64
        /// Two hex digits per byte, either case.
        case hex
    }

    /// Whether a line can be read as hex: even length, only hex digits (checked in constant time).
    private static func isHex(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count % 2 == 0 && ConstantTimeCodec.isHex(line, allowUppercase: true)
    }

    /// The encoding of one line on its own: hex if it can be read as hex, else base64.
    ///
    /// - Warning: Ambiguous for short shares: a base64 line without padding whose characters all happen to be hex
    ///   digits (about 1 in 70 lines of a 2-byte secret, 1 in 4,800 of a 5-byte one) is read as hex. Lines of one
    ///   split are better decided together with ``encoding(ofLines:)``.
    private static func encoding(of line: UnsafeRawBufferPointer) -> LineEncoding {
        isHex(line) ? .hex : .base64
    }

    /// The encoding of a set of lines from one split, decided once for all of them: hex if every line can be read
    /// as hex, base64 otherwise.
    ///
    /// Hex lines are very often valid base64 too, while base64 lines are rarely valid hex, and only for short shares.
    /// Deciding per line would read such a base64 line as hex and combine a wrong secret without an error (the
    /// vault layout has no checksum); deciding for the whole set only errs if every line is ambiguous.
    ///
    /// - Parameters:
    ///   - lines: The non-blank lines, trimmed.
    ///   - labels: Each line's name for messages.
    /// - Returns: The encoding to decode every line with.
    /// - Throws: ``ShamirError/Code/malformedShare`` naming the first line that is neither base64 nor hex, or a hex
    ///   line in a set that is otherwise base64.
    public static func encoding(
        ofLines lines: [UnsafeRawBufferPointer],
        labels: [String]
    ) throws(ShamirError) -> LineEncoding {
        precondition(lines.count == labels.count, "one label per line")
        for (line, label) in zip(lines, labels) where !isHex(line) && !ConstantTimeCodec.isBase64(line) {
            throw ShamirError(.malformedShare, "\(label): not a vault share (neither base64 nor hex)")
        }
        if lines.allSatisfy(isHex) { return .hex }
        for (line, label) in zip(lines, labels) where !ConstantTimeCodec.isBase64(line) {
            throw ShamirError(
                .malformedShare,
                "\(label) is written in hex but other lines are base64: give every share in one encoding"
            )
        }
        return .base64
    }

    /// The number of bytes (`y ‖ x`) a line decodes to, or an error naming `label` if it cannot be a share.
    ///
    /// - Parameters:
    ///   - line: One line without its newline.
    ///   - label: Names the line in messages, e.g. `line 3`.
    /// - Returns: The share's byte count, at least 2.
    /// - Throws: ``ShamirError/Code/malformedShare``.
    public static func decodedCount(ofLine line: UnsafeRawBufferPointer, label: String) throws(ShamirError) -> Int {
        try decodedCount(ofLine: line, encoding: encoding(of: line), label: label)
    }

    /// The number of bytes (`y ‖ x`) a line decodes to in a given encoding (see ``encoding(ofLines:)``).
    ///
    /// - Parameters:
    ///   - line: One line without its newline.
    ///   - encoding: How the line is written.
    ///   - label: Names the line in messages, e.g. `line 3`.
    /// - Returns: The share's byte count, at least 2.
    /// - Throws: ``ShamirError/Code/malformedShare``.
    public static func decodedCount(
        ofLine line: UnsafeRawBufferPointer,
        encoding: LineEncoding,
        label: String
    ) throws(ShamirError) -> Int {
        let count: Int? =
            switch encoding {
            case .hex: line.count % 2 == 0 ? line.count / 2 : nil
            case .base64: ConstantTimeCodec.base64DecodedCount(line)
            }
        guard let count else {
            throw ShamirError(.malformedShare, "\(label): not a vault share (neither base64 nor hex)")
        }
        guard count >= 2 else {
            throw ShamirError(.malformedShare, "\(label): too short for a vault share (it needs at least 2 bytes)")
        }
        return count
    }

    /// Decodes a line into `y ‖ x`.
    ///
    /// - Parameters:
    ///   - line: One line without its newline.
    ///   - share: Receives ``decodedCount(ofLine:label:)`` bytes.
    ///   - label: Names the line in messages.
    /// - Throws: ``ShamirError/Code/malformedShare`` if a character is invalid,
    ///   ``ShamirError/Code/zeroCoordinate`` if x = 0, ``ShamirError/Code/bufferSizeMismatch``.
    public static func decodeLine(
        _ line: UnsafeRawBufferPointer,
        into share: UnsafeMutableRawBufferPointer,
        label: String
    ) throws(ShamirError) {
        try decodeLine(line, into: share, encoding: encoding(of: line), label: label)
    }

    /// Decodes a line written in a given encoding (see ``encoding(ofLines:)``) into `y ‖ x`.
    ///
    /// - Parameters:
    ///   - line: One line without its newline.
    ///   - share: Receives ``decodedCount(ofLine:encoding:label:)`` bytes.
    ///   - encoding: How the line is written.
    ///   - label: Names the line in messages.
    /// - Throws: ``ShamirError/Code/malformedShare`` if a character is invalid,
    ///   ``ShamirError/Code/zeroCoordinate`` if x = 0, ``ShamirError/Code/bufferSizeMismatch``.
    public static func decodeLine(
        _ line: UnsafeRawBufferPointer,
        into share: UnsafeMutableRawBufferPointer,
        encoding: LineEncoding,
        label: String
    ) throws(ShamirError) {
        let count = try decodedCount(ofLine: line, encoding: encoding, label: label)
        try Shamir.checkSize("the share buffer", share.count, expected: count)
        let valid =
            switch encoding {
            case .hex: ConstantTimeCodec.decodeHex(line, into: share, allowUppercase: true)
            case .base64: ConstantTimeCodec.decodeBase64(line, into: share)
            }
        guard valid else {
            Wipe.zero(share)
            throw ShamirError(.malformedShare, "\(label): not a vault share (neither base64 nor hex)")
        }
        // The last byte is x, public; in base64 it shares a character with the share value, hence the declassify.
        guard ConstantTime.declassify(share[count - 1] != 0) else {
            Wipe.zero(share)
            throw ShamirError(.zeroCoordinate, "\(label): the share has x = 0, which Vault would take as the secret")
        }
    }

    /// Checks that decoded shares can be combined: at least two, equal lengths, distinct x.
    ///
    /// - Parameters:
    ///   - xs: Each share's x (its last byte).
    ///   - counts: Each share's byte count.
    ///   - labels: Each share's name for messages.
    /// - Throws: ``ShamirError/Code/tooFewShares``, ``ShamirError/Code/inconsistentLengths``,
    ///   ``ShamirError/Code/duplicateCoordinate``.
    public static func checkSet(xs: [UInt8], counts: [Int], labels: [String]) throws(ShamirError) {
        precondition(xs.count == counts.count && xs.count == labels.count, "one x, count and label per share")
        guard xs.count >= 2 else {
            throw ShamirError(
                .tooFewShares,
                "\(xs.count) share\(xs.count == 1 ? "" : "s") given: at least 2 are needed to combine"
            )
        }
        for i in 1..<xs.count where counts[i] != counts[0] {
            throw ShamirError(
                .inconsistentLengths,
                "\(labels[i]) has \(counts[i]) bytes but \(labels[0]) has \(counts[0]): they are not from one split"
            )
        }
        var firstSeen = [Int?](repeating: nil, count: 256)
        for i in xs.indices {
            if let earlier = firstSeen[Int(xs[i])] {
                throw ShamirError(
                    .duplicateCoordinate,
                    "\(labels[i]) has the same x-coordinate (\(xs[i])) as \(labels[earlier])"
                )
            }
            firstSeen[Int(xs[i])] = i
        }
    }

    // MARK: - Conveniences

    /// The base64 line of a share.
    ///
    /// - Parameter share: The share.
    /// - Returns: Padded base64 of `y ‖ x`.
    public static func encode(_ share: Share) -> String {
        var bytes = share.y + [share.x]
        defer { Wipe.zero(&bytes) }
        let line = [UInt8](unsafeUninitializedCapacity: lineCount(shareCount: bytes.count)) { buffer, count in
            bytes.withUnsafeBytes { encodeLine($0, into: UnsafeMutableRawBufferPointer(buffer)) }
            count = buffer.count
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Decodes one line (base64 or hex).
    ///
    /// - Parameters:
    ///   - line: The text, surrounding whitespace ignored.
    ///   - label: Names the line in messages.
    /// - Returns: The share.
    /// - Throws: the errors of ``decodeLine(_:into:label:)``.
    public static func decode(_ line: String, label: String = "the share") throws(ShamirError) -> Share {
        let text = Array(line.utf8.trimmingASCIIWhitespace())
        return try decode(text, encoding: text.withUnsafeBytes { encoding(of: $0) }, label: label)
    }

    private static func decode(_ text: [UInt8], encoding: LineEncoding, label: String) throws(ShamirError) -> Share {
        var count = 0
        var failure: ShamirError?
        text.withUnsafeBytes { raw in
            do throws(ShamirError) {
                count = try decodedCount(ofLine: raw, encoding: encoding, label: label)
            } catch { failure = error }
        }
        if let failure { throw failure }
        var bytes = [UInt8](repeating: 0, count: count)
        text.withUnsafeBytes { raw in
            bytes.withUnsafeMutableBytes { out in
                do throws(ShamirError) {
                    try decodeLine(raw, into: out, encoding: encoding, label: label)
                } catch { failure = error }
            }
        }
        if let failure { throw failure }
        return Share(x: bytes[count - 1], y: Array(bytes[0..<(count - 1)]))
    }

    /// Calls `body` with raw views of every array (nested, so they stay valid together).
    private static func withPointers<R>(
        _ arrays: [[UInt8]],
        _ body: ([UnsafeRawBufferPointer]) throws(ShamirError) -> R
    ) throws(ShamirError) -> R {
        var views = [UnsafeRawBufferPointer]()
        var result: Result<R, ShamirError>?
        func nest(_ index: Int) {
            guard index < arrays.count else {
                do throws(ShamirError) { result = .success(try body(views)) } catch { result = .failure(error) }
                return
            }
            arrays[index].withUnsafeBytes { raw in
                views.append(raw)
                nest(index + 1)
            }
        }
        nest(0)
        guard let result else { preconditionFailure("nest always calls body") }
        return try result.get()
    }

    /// Decodes, checks and combines vault-format lines (blank lines skipped).
    ///
    /// - Parameter lines: One share per element.
    /// - Returns: The secret.
    /// - Throws: the errors of ``decodeLine(_:into:label:)`` and ``checkSet(xs:counts:labels:)``.
    /// - Warning: Unauthenticated: wrong or missing shares give a wrong secret.
    public static func combine(lines: [String]) throws(ShamirError) -> [UInt8] {
        var texts = [[UInt8]]()
        var labels = [String]()
        for (index, line) in lines.enumerated() where !line.utf8.trimmingASCIIWhitespace().isEmpty {
            texts.append(Array(line.utf8.trimmingASCIIWhitespace()))
            labels.append("line \(index + 1)")
        }
        let lineEncoding = try withPointers(texts) { lines throws(ShamirError) in
            try Self.encoding(ofLines: lines, labels: labels)
        }
        var shares = [Share]()
        for (text, label) in zip(texts, labels) {
            shares.append(try decode(text, encoding: lineEncoding, label: label))
        }
        try checkSet(xs: shares.map(\.x), counts: shares.map { $0.y.count + 1 }, labels: labels)
        return try Shamir.combine(shares)
    }
}

extension Collection where Element == UInt8, SubSequence: BidirectionalCollection {
    /// The collection without leading and trailing ASCII spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> SubSequence {
        let isSpace = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        let start = firstIndex { !isSpace($0) } ?? endIndex
        let tail = self[start...]
        guard let last = tail.lastIndex(where: { !isSpace($0) }) else { return self[start..<start] }
        return self[start...last]
    }
}
