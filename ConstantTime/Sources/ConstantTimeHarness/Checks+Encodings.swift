import Shamir

extension Checks {
    /// The text forms of shares (``NativeShare`` hex lines, ``VaultShare`` base64 and hex lines): the share bytes are
    /// secret, so are the characters that carry them.
    mutating func runEncodings() {
        native(length: 32)
        native(length: 5)
        // 33 + 1 bytes: x alone in the last base64 group; 32 + 1: x shares a character with the share value.
        vault(length: 33)
        vault(length: 32)
    }

    /// The native line `escrow-share-v1-<id>-<k>-<x>-<payload hex>-<crc>`: the payload characters are secret; the
    /// metadata fields (split id, threshold, x) and the checksum field are public.
    mutating func native(length: Int) {
        let secret = Marks.randomSecret(length)
        var rng = SecretRandom()
        let shares = attempt("split") { try Shamir.split(secret, threshold: 3, shareCount: 5, using: &rng) }
        var decoded: [Share] = []
        for share in shares.suffix(3) {
            let metadata = attempt("metadata") { try NativeShare(splitID: 0x1234_ABCD, threshold: 3, x: share.x) }
            var line = [UInt8](repeating: 0, count: NativeShare.lineCount(payloadCount: length))
            share.y.withUnsafeBytes { payload in
                line.withUnsafeMutableBytes { metadata.encodeLine(payload: payload, into: $0) }
            }
            // As a reader receives it: metadata and checksum public, payload characters (33..<33 + 2n) secret.
            line.withUnsafeBytes { line in
                Marks.publish(line)
                Marks.secret(UnsafeRawBufferPointer(rebasing: line[33..<(33 + 2 * length)]))
            }
            let parsed = attempt("parseLine") {
                try line.withUnsafeBytes { try NativeShare.parseLine($0, label: "line") }
            }
            var payload = [UInt8](repeating: 0, count: parsed.payloadCount)
            attempt("decodePayload") {
                try line.withUnsafeBytes { line in
                    try payload.withUnsafeMutableBytes { try NativeShare.decodePayload(ofLine: line, into: $0) }
                }
            }
            decoded.append(Share(x: parsed.share.x, y: payload))
        }
        expect(
            "NativeShare.encodeLine + parseLine + decodePayload, \(length) bytes",
            attempt("combine") { try Shamir.combine(decoded) },
            equals: secret
        )
    }

    /// The vault layout `y ‖ x` as base64 (and as hex, which the decoder also accepts): the characters that carry
    /// bits of y are secret; x and the padding are public.
    mutating func vault(length: Int) {
        let secret = Marks.randomSecret(length)
        var coordinates = PublicRandom()
        var rng = SecretRandom()
        let xs = attempt("coordinates") { try Shamir.randomCoordinates(count: 3, using: &coordinates) }
        let shares = attempt("split") { try Shamir.split(secret, threshold: 2, xs: xs, using: &rng) }
        var fromBase64: [Share] = []
        var fromHex: [Share] = []
        for share in shares.prefix(2) {
            let bytes = share.y + [share.x]
            var line = [UInt8](repeating: 0, count: VaultShare.lineCount(shareCount: bytes.count))
            bytes.withUnsafeBytes { bytes in line.withUnsafeMutableBytes { VaultShare.encodeLine(bytes, into: $0) } }
            // Character i carries bits 6i..<6i+6 of the byte stream; y is bits 0..<8n.
            let secretCharacters = (8 * length + 5) / 6
            line.withUnsafeBytes { line in
                Marks.publish(line)
                Marks.secret(UnsafeRawBufferPointer(rebasing: line[0..<secretCharacters]))
            }
            fromBase64.append(decodeVault(line))

            // Hex: made by the harness from a public copy, then the 2n characters of y marked secret.
            let digits = Array("0123456789ABCDEF".utf8)
            let hex = Marks.publicCopy(bytes).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }
            hex.withUnsafeBytes { Marks.secret(UnsafeRawBufferPointer(rebasing: $0[0..<(2 * length)])) }
            fromHex.append(decodeVault(hex))
        }
        expect(
            "VaultShare.encodeLine + decodeLine (base64), \(length) + 1 bytes",
            attempt("combine") { try Shamir.combine(fromBase64) },
            equals: secret
        )
        expect(
            "VaultShare.decodeLine (hex), \(length) + 1 bytes",
            attempt("combine") { try Shamir.combine(fromHex) },
            equals: secret
        )
    }

    /// `decodedCount` and `decodeLine` with the encoding detected from the line, as `escrow shamir combine` does.
    func decodeVault(_ line: [UInt8]) -> Share {
        line.withUnsafeBytes { line in
            let count = attempt("decodedCount") { try VaultShare.decodedCount(ofLine: line, label: "line") }
            var bytes = [UInt8](repeating: 0, count: count)
            attempt("decodeLine") {
                try bytes.withUnsafeMutableBytes { try VaultShare.decodeLine(line, into: $0, label: "line") }
            }
            // x is public: the share's coordinate.
            var x = bytes[count - 1]
            withUnsafeBytes(of: &x) { Marks.publish($0) }
            return Share(x: x, y: Array(bytes[0..<(count - 1)]))
        }
    }
}
