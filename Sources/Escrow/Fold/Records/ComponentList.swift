import Sodium

/// The compact form of an approval's sealed components: one base64url string per version holds every component of
/// the version (a bulk re-split's approval carries one per version of every vault, so one JSON object per component
/// made the parsing, decoding and writing of a multi-megabyte event cost seconds).
///
/// Layout, each component after the other, no header, nothing after the last:
///
/// ```
/// x (1 byte) ‖ n (1 byte) ‖ path (n bytes) ‖ sealed (72 bytes) [‖ digest (32 bytes)]
/// ```
///
/// `sealed` is `nonce (24) ‖ ciphertext (32) ‖ tag (16)` of the 32-byte value (``ShareSealer``); the `digest`
/// (``ComponentDigest``) is present in every component of a re-split contribution and in none of an approval
/// re-sealing shares to a recipient (the opener checks the digest the value's author published). Decoding checks
/// every length against the bytes left and refuses a truncated component or trailing bytes, so each list has exactly
/// one encoding (and base64url is itself strict: ``Base64URL``). The fields mean what the members of
/// ``SealedComponentRecord`` mean; digests and associated data are computed from them exactly as before.
enum ComponentList {
    /// The length of a sealed 32-byte value: nonce, ciphertext and tag.
    static let sealedCount = AEAD.nonceCount + ComponentDigest.valueCount + AEAD.tagCount
    /// The length of a digest.
    static let digestCount = ComponentDigest.byteCount

    /// A list that cannot be encoded or decoded, with the reason.
    struct Malformed: Error, CustomStringConvertible {
        /// Why.
        let description: String
    }

    /// Encodes `records` (each with a digest when `digests`, none otherwise).
    ///
    /// - Parameters:
    ///   - records: The components.
    ///   - digests: Whether each carries its digest.
    /// - Returns: The unpadded base64url text.
    /// - Throws: ``Malformed`` for a sealed value that is not ``sealedCount`` bytes, a path longer than 255, or a
    ///   digest missing, present or of the wrong length.
    static func encode(_ records: [SealedComponentRecord], digests: Bool) throws(Malformed) -> String {
        // Read once: these lets are computed from libsodium's constants, so each access is a lazy-global check.
        let sealedCount = Self.sealedCount
        let digestCount = Self.digestCount
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * (2 + sealedCount + (digests ? digestCount : 0) + 2))
        for (index, record) in records.enumerated() {
            guard record.sealed.bytes.count == sealedCount else {
                throw Malformed(
                    description: "component \(index) holds a sealed value of \(record.sealed.bytes.count) bytes"
                )
            }
            guard record.path.count <= Int(UInt8.max) else {
                throw Malformed(description: "component \(index) has a path of \(record.path.count) levels")
            }
            bytes.append(record.x)
            bytes.append(UInt8(record.path.count))
            bytes.append(contentsOf: record.path)
            bytes.append(contentsOf: record.sealed.bytes)
            switch (digests, record.digest) {
            case (true, let digest?) where digest.bytes.count == digestCount: bytes.append(contentsOf: digest.bytes)
            case (false, nil): break
            default:
                throw Malformed(
                    description: digests
                        ? "component \(index) lacks a \(digestCount)-byte digest"
                        : "component \(index) carries a digest"
                )
            }
        }
        return Base64URL.encode(bytes)
    }

    /// Decodes a list written by ``encode(_:digests:)``.
    ///
    /// - Parameters:
    ///   - text: The base64url text.
    ///   - digests: Whether each component carries its digest.
    /// - Returns: The components.
    /// - Throws: ``Malformed`` for text that is not canonical base64url, a truncated component or trailing bytes.
    static func decode(_ text: String, digests: Bool) throws(Malformed) -> [SealedComponentRecord] {
        guard let bytes = Base64URL.decode(text) else {
            throw Malformed(description: "is not unpadded base64url")
        }
        let sealedCount = Self.sealedCount
        let digestCount = Self.digestCount
        let fixed = sealedCount + (digests ? digestCount : 0)
        var records: [SealedComponentRecord] = []
        records.reserveCapacity(bytes.count / (2 + fixed))
        var index = 0
        while index < bytes.count {
            guard bytes.count - index >= 2 else {
                throw Malformed(description: "component \(records.count) is cut short")
            }
            let x = bytes[index]
            let pathCount = Int(bytes[index + 1])
            index += 2
            guard bytes.count - index >= pathCount + fixed else {
                throw Malformed(description: "component \(records.count) is cut short")
            }
            let path = Array(bytes[index..<(index + pathCount)])
            index += pathCount
            let sealed = Array(bytes[index..<(index + sealedCount)])
            index += sealedCount
            var digest: [UInt8]?
            if digests {
                digest = Array(bytes[index..<(index + digestCount)])
                index += digestCount
            }
            records.append(SealedComponentRecord(x: x, path: path, sealed: sealed, digest: digest))
        }
        return records
    }

    /// Decodes the list in member `key` (see ``decode(_:digests:)``), as a `DecodingError` naming the member.
    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key, digests: Bool)
        throws -> [SealedComponentRecord]
    {
        let text = try container.decode(String.self, forKey: key)
        do {
            return try decode(text, digests: digests)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "is not a list of sealed components: \(error.description)"
            )
        }
    }

    /// Encodes `records` into member `key` (see ``encode(_:digests:)``), as an `EncodingError` naming the member.
    static func encode<Key: CodingKey>(
        _ records: [SealedComponentRecord],
        digests: Bool,
        into container: inout KeyedEncodingContainer<Key>,
        forKey key: Key
    ) throws {
        let text: String
        do {
            text = try encode(records, digests: digests)
        } catch {
            throw EncodingError.invalidValue(
                records,
                .init(codingPath: container.codingPath + [key], debugDescription: error.description)
            )
        }
        try container.encode(text, forKey: key)
    }
}
