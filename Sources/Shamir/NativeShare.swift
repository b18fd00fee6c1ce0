/// The metadata of a native escrow share and its text line encoding.
///
/// One share per line, fixed-width fields separated by `-`:
///
/// ```
/// escrow-share-v1-<id>-<k>-<x>-<payload>-<check>
///   id       8 lowercase hex digits: the random split identifier (32 bits)
///   k        3 decimal digits, 002…255: the threshold
///   x        3 decimal digits, 001…255: this share's x-coordinate
///   payload  2 lowercase hex digits per secret byte: the share's y-values
///   check    8 lowercase hex digits: CRC-32 (IEEE) of every character before the last '-'
/// ```
/// for example `escrow-share-v1-5c2e9a01-003-001-9f2c…-1a2b3c4d`.
///
/// Every field has a fixed width (the payload an even one), so a dropped or added character breaks the
/// structure; a changed character or two swapped neighbours change the CRC-32 (which catches every error within
/// 32 consecutive bits). The identifier tells shares of different splits apart before anything is combined.
public struct NativeShare: Hashable, Sendable {
    /// The line prefix up to and including the version, `escrow-share-v1-`.
    public static let prefix = "escrow-share-v1-"
    private static let prefixBytes = Array(prefix.utf8)
    private static let familyBytes = Array("escrow-share-v".utf8)
    /// Characters outside the payload: prefix 16, id 8, k 3, x 3, checksum 8, five separators.
    private static let overhead = 16 + 8 + 1 + 3 + 1 + 3 + 1 + 1 + 8

    /// The random identifier shared by all shares of one split.
    public let splitID: UInt32
    /// How many shares recover the secret, `2...255`.
    public let threshold: Int
    /// This share's x-coordinate, `1...255`.
    public let x: UInt8

    /// Creates share metadata.
    ///
    /// - Parameters:
    ///   - splitID: The split's random identifier.
    ///   - threshold: `2...255`.
    ///   - x: `1...255`.
    /// - Throws: ``ShamirError/Code/invalidThreshold`` or ``ShamirError/Code/zeroCoordinate``.
    public init(splitID: UInt32, threshold: Int, x: UInt8) throws(ShamirError) {
        guard (2...Shamir.maximumShareCount).contains(threshold) else {
            throw ShamirError(.invalidThreshold, "the threshold must be between 2 and 255, not \(threshold)")
        }
        guard x != 0 else {
            throw ShamirError(.zeroCoordinate, "a share cannot have x-coordinate 0")
        }
        self.splitID = splitID
        self.threshold = threshold
        self.x = x
    }

    /// The length in characters of the line for a payload of `payloadCount` bytes (no newline).
    ///
    /// - Parameter payloadCount: The secret's length in bytes.
    /// - Returns: `42 + 2 * payloadCount`.
    public static func lineCount(payloadCount: Int) -> Int { overhead + 2 * payloadCount }

    /// Writes this share's line.
    ///
    /// - Parameters:
    ///   - payload: The share's y-values (one per secret byte, at least one).
    ///   - line: Receives ``lineCount(payloadCount:)`` ASCII characters (no newline).
    /// - Precondition: `line.count == NativeShare.lineCount(payloadCount: payload.count)`.
    /// - Complexity: O(`payload.count`); constant time in the payload bytes.
    public func encodeLine(payload: UnsafeRawBufferPointer, into line: UnsafeMutableRawBufferPointer) {
        precondition(line.count == Self.lineCount(payloadCount: payload.count), "line buffer has the wrong size")
        var header = Self.prefixBytes
        header += Self.hex(UInt64(splitID), digits: 8) + [0x2D]
        header += Self.decimal(threshold) + [0x2D] + Self.decimal(Int(x)) + [0x2D]
        for (i, byte) in header.enumerated() { line[i] = byte }
        let payloadStart = header.count
        ConstantTimeCodec.encodeHex(
            payload,
            into: UnsafeMutableRawBufferPointer(rebasing: line[payloadStart..<(payloadStart + 2 * payload.count)])
        )
        let checkStart = payloadStart + 2 * payload.count
        line[checkStart] = 0x2D
        let crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: line[0..<checkStart]))
        for (i, digit) in Self.hex(UInt64(crc), digits: 8).enumerated() { line[checkStart + 1 + i] = digit }
    }

    /// Parses and verifies a line's structure and checksum, without decoding the payload.
    ///
    /// Checks, in order: the prefix (and version), the length and separators, the field characters, the CRC-32,
    /// then the values of k and x.
    ///
    /// - Parameters:
    ///   - line: One line without its newline.
    ///   - label: Names the line in messages, e.g. `line 3`.
    /// - Returns: The metadata and the payload's byte count.
    /// - Throws: ``ShamirError/Code/malformedShare`` (not a share, truncated, damaged structure),
    ///   ``ShamirError/Code/unsupportedVersion``, ``ShamirError/Code/checksumMismatch``.
    public static func parseLine(
        _ line: UnsafeRawBufferPointer,
        label: String
    ) throws(ShamirError) -> (share: NativeShare, payloadCount: Int) {
        guard line.starts(with: familyBytes) else {
            throw ShamirError(.malformedShare, "\(label): not an escrow share (it should start with '\(prefix)')")
        }
        guard line.starts(with: prefixBytes) else {
            // Echo the version only if it looks like one: the line is untrusted input, and a message must not carry
            // control characters (terminal escapes) or anything else from it.
            let field = line.dropFirst(familyBytes.count).prefix { $0 != 0x2D }
            let plain =
                !field.isEmpty && field.count <= 8
                && field.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2E }
            let version = plain ? "'v\(String(decoding: field, as: UTF8.self))'" : "(unreadable)"
            throw ShamirError(
                .unsupportedVersion,
                "\(label): share format version \(version) is not supported by this build (it reads v1)"
            )
        }
        let damaged = ShamirError(
            .malformedShare,
            "\(label): the share is truncated or damaged (a character is missing, extra or misplaced)"
        )
        guard line.count >= overhead + 2, (line.count - overhead) % 2 == 0 else { throw damaged }
        let payloadCount = (line.count - overhead) / 2
        let checkStart = line.count - 9
        for position in [24, 28, 32, checkStart] where line[position] != 0x2D { throw damaged }
        let id = parseHex(line, 16..<24)
        let k = parseDecimal(line, 25..<28)
        let x = parseDecimal(line, 29..<32)
        let check = parseHex(line, (checkStart + 1)..<line.count)
        let payloadText = UnsafeRawBufferPointer(rebasing: line[33..<checkStart])
        guard let id, let k, let x, let check else { throw damaged }
        // The checksum covers the secret payload; whether it matches is public (the line is rejected or not).
        let checksum = CRC32.checksum(UnsafeRawBufferPointer(rebasing: line[0..<checkStart]))
        guard ConstantTime.declassify(UInt64(checksum) == check) else {
            throw ShamirError(
                .checksumMismatch,
                "\(label): the share's checksum does not match: a character is wrong, missing or swapped"
            )
        }
        guard ConstantTimeCodec.isHex(payloadText, allowUppercase: false) else { throw damaged }
        guard (2...255).contains(k) else {
            throw ShamirError(.malformedShare, "\(label): the share claims an invalid threshold \(k)")
        }
        guard (1...255).contains(x) else {
            throw ShamirError(.malformedShare, "\(label): the share claims an invalid x-coordinate \(x)")
        }
        let share = try NativeShare(splitID: UInt32(id), threshold: k, x: UInt8(x))
        return (share, payloadCount)
    }

    /// Decodes the payload of a line that ``parseLine(_:label:)`` accepted.
    ///
    /// - Parameters:
    ///   - line: The same line.
    ///   - payload: Receives the y-values; its size is the parsed `payloadCount`.
    /// - Throws: ``ShamirError/Code/bufferSizeMismatch`` or ``ShamirError/Code/malformedShare``.
    public static func decodePayload(
        ofLine line: UnsafeRawBufferPointer,
        into payload: UnsafeMutableRawBufferPointer
    ) throws(ShamirError) {
        try Shamir.checkSize("the payload buffer", payload.count, expected: (line.count - overhead) / 2)
        let text = UnsafeRawBufferPointer(rebasing: line[33..<(33 + 2 * payload.count)])
        guard ConstantTimeCodec.decodeHex(text, into: payload, allowUppercase: false) else {
            Wipe.zero(payload)
            throw ShamirError(.malformedShare, "the share payload is not hexadecimal")
        }
    }

    /// Checks that parsed shares can be combined, before anything is combined: one split, equal lengths,
    /// distinct x, at least the threshold.
    ///
    /// - Parameters:
    ///   - shares: The parsed metadata, in input order.
    ///   - payloadCounts: Each share's payload length.
    ///   - labels: Each share's name for messages (`line 3`, a file name).
    /// - Throws: ``ShamirError/Code/tooFewShares``, ``ShamirError/Code/mismatchedSplit``,
    ///   ``ShamirError/Code/inconsistentLengths``, ``ShamirError/Code/duplicateCoordinate``.
    public static func checkSet(_ shares: [NativeShare], payloadCounts: [Int], labels: [String]) throws(ShamirError) {
        precondition(shares.count == payloadCounts.count && shares.count == labels.count, "one entry per share")
        guard let first = shares.first else {
            throw ShamirError(.tooFewShares, "no shares were given")
        }
        for i in shares.indices.dropFirst() {
            if shares[i].splitID != first.splitID || shares[i].threshold != first.threshold {
                throw ShamirError(
                    .mismatchedSplit,
                    "\(labels[i]) is from a different split than \(labels[0]) "
                        + "(split \(hexString(shares[i].splitID)) vs \(hexString(first.splitID)))"
                )
            }
            if payloadCounts[i] != payloadCounts[0] {
                throw ShamirError(
                    .inconsistentLengths,
                    "\(labels[i]) holds \(payloadCounts[i]) bytes but \(labels[0]) holds \(payloadCounts[0])"
                )
            }
        }
        var firstSeen = [Int?](repeating: nil, count: 256)
        for i in shares.indices {
            if let earlier = firstSeen[Int(shares[i].x)] {
                throw ShamirError(
                    .duplicateCoordinate,
                    "\(labels[i]) repeats share number \(shares[i].x) already given by \(labels[earlier])"
                )
            }
            firstSeen[Int(shares[i].x)] = i
        }
        guard shares.count >= first.threshold else {
            throw ShamirError(
                .tooFewShares,
                "only \(shares.count) share\(shares.count == 1 ? "" : "s") given: this split needs \(first.threshold)"
            )
        }
    }

    // MARK: - Conveniences

    /// The line for a payload given as an array.
    ///
    /// - Parameter payload: The y-values.
    /// - Returns: The text line (no newline).
    public func encodeLine(_ payload: [UInt8]) -> String {
        let line = [UInt8](unsafeUninitializedCapacity: Self.lineCount(payloadCount: payload.count)) { buffer, n in
            payload.withUnsafeBytes { encodeLine(payload: $0, into: UnsafeMutableRawBufferPointer(buffer)) }
            n = buffer.count
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Parses, verifies and decodes one line.
    ///
    /// - Parameters:
    ///   - line: The text, surrounding whitespace ignored.
    ///   - label: Names the line in messages.
    /// - Returns: The metadata and the payload.
    /// - Throws: the errors of ``parseLine(_:label:)``.
    public static func decodeLine(
        _ line: String,
        label: String = "the share"
    ) throws(ShamirError) -> (share: NativeShare, payload: [UInt8]) {
        let text = Array(line.utf8.trimmingASCIIWhitespace())
        var result: (NativeShare, [UInt8])?
        var failure: ShamirError?
        text.withUnsafeBytes { raw in
            do throws(ShamirError) {
                let parsed = try parseLine(raw, label: label)
                var payload = [UInt8](repeating: 0, count: parsed.payloadCount)
                var inner: ShamirError?
                payload.withUnsafeMutableBytes { out in
                    do throws(ShamirError) { try decodePayload(ofLine: raw, into: out) } catch { inner = error }
                }
                if let inner { throw inner }
                result = (parsed.share, payload)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        guard let result else { throw ShamirError(.malformedShare, "\(label): could not be decoded") }
        return result
    }

    /// Splits a secret into native lines at x = 1…`shareCount`.
    ///
    /// - Parameters:
    ///   - secret: The secret (at least one byte).
    ///   - threshold: `2...shareCount`.
    ///   - shareCount: `threshold...255`.
    ///   - splitID: The split's identifier (draw it at random).
    ///   - rng: The coefficient source.
    /// - Returns: One line per share, x = 1 first.
    /// - Throws: the errors of ``Shamir/split(_:threshold:xs:into:using:)``.
    public static func split(
        _ secret: [UInt8],
        threshold: Int,
        shareCount: Int,
        splitID: UInt32,
        using rng: inout some RandomSource
    ) throws(ShamirError) -> [String] {
        let shares = try Shamir.split(secret, threshold: threshold, shareCount: shareCount, using: &rng)
        var lines = [String]()
        for share in shares {
            lines.append(try NativeShare(splitID: splitID, threshold: threshold, x: share.x).encodeLine(share.y))
        }
        return lines
    }

    /// Parses, checks and combines native lines (blank lines skipped but counted in line numbers).
    ///
    /// - Parameter lines: One share per element.
    /// - Returns: The secret.
    /// - Throws: the errors of ``parseLine(_:label:)`` and ``checkSet(_:payloadCounts:labels:)``.
    public static func combine(lines: [String]) throws(ShamirError) -> [UInt8] {
        var shares = [Share]()
        var metadata = [NativeShare]()
        var labels = [String]()
        for (index, line) in lines.enumerated() where !line.utf8.trimmingASCIIWhitespace().isEmpty {
            let label = "line \(index + 1)"
            let decoded = try decodeLine(line, label: label)
            metadata.append(decoded.share)
            shares.append(Share(x: decoded.share.x, y: decoded.payload))
            labels.append(label)
        }
        try checkSet(metadata, payloadCounts: shares.map(\.y.count), labels: labels)
        return try Shamir.combine(Array(shares.prefix(metadata[0].threshold)))
    }

    // MARK: - Field coding (public metadata only)

    static func hex(_ value: UInt64, digits: Int) -> [UInt8] {
        (0..<digits).reversed().map { ConstantTimeCodec.hexDigit(Int((value >> UInt64(4 * $0)) & 0xF)) }
    }

    static func hexString(_ value: UInt32) -> String { String(decoding: hex(UInt64(value), digits: 8), as: UTF8.self) }

    static func decimal(_ value: Int) -> [UInt8] {
        [UInt8(48 + value / 100), UInt8(48 + value / 10 % 10), UInt8(48 + value % 10)]
    }

    private static func parseHex(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64? {
        var value: UInt64 = 0
        for i in range {
            let digit = ConstantTimeCodec.hexValue(line[i], allowUppercase: false)
            guard digit.valid != 0 else { return nil }
            value = value << 4 | UInt64(digit.value)
        }
        return value
    }

    private static func parseDecimal(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            guard (0x30...0x39).contains(line[i]) else { return nil }
            value = value * 10 + Int(line[i] - 0x30)
        }
        return value
    }
}
