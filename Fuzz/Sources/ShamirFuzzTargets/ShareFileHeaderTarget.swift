import Shamir

/// `ShareFile` header parsing: arbitrary header bytes and file size. An accepted header's fields match its bytes and
/// the file size; a header written by `encodeHeader` for those fields parses back to them.
enum ShareFileHeaderTarget {
    static func run(_ input: inout FuzzInput) {
        let sizeChoice = input.byte()
        var header = input.take(ShareFile.headerCount + 8)
        // Often make the magic right, so the fuzzer gets past it quickly.
        if sizeChoice & 0x80 != 0 && header.count >= ShareFile.magic.count {
            header.replaceSubrange(0..<ShareFile.magic.count, with: ShareFile.magic)
        }
        let announced = header.count >= 28 ? (20..<28).reversed().reduce(0) { $0 << 8 | Int(header[$1]) } : 0
        let fileSize: Int
        switch sizeChoice & 3 {
        case 0: fileSize = Int(input.word() >> 1)
        case 1: fileSize = ShareFile.headerCount + max(0, min(announced, Int.max - ShareFile.headerCount))
        case 2: fileSize = header.count
        default: fileSize = ShareFile.headerCount &+ announced &+ 1  // may wrap: any size is a valid input
        }
        do {
            let parsed = try header.withUnsafeBytes { raw in
                try ShareFile.parseHeader(raw, fileSize: fileSize, label: "share.1")
            }
            precondition(
                Array(header.prefix(12)) == ShareFile.magic && header[12] == ShareFile.version,
                "magic/version"
            )
            precondition(parsed.share.threshold == Int(header[13]) && parsed.share.x == header[14], "fields")
            precondition(parsed.payloadCount >= 1 && parsed.payloadCount + ShareFile.headerCount == fileSize, "size")
            precondition(parsed.checksum == Array(header[28..<44]), "checksum bytes")
            // Write a header for the same fields and parse it back.
            var checksum = ShareFile.startChecksum(for: parsed.share, payloadCount: parsed.payloadCount)
            header.withUnsafeBytes { checksum.update($0) }
            var written = [UInt8](repeating: 0, count: ShareFile.headerCount)
            written.withUnsafeMutableBytes {
                ShareFile.encodeHeader(parsed.share, payloadCount: parsed.payloadCount, checksum: checksum, into: $0)
            }
            let back = try written.withUnsafeBytes { raw in
                try ShareFile.parseHeader(raw, fileSize: fileSize, label: "share.1")
            }
            precondition(back.share == parsed.share && back.payloadCount == parsed.payloadCount, "header round trip")
            precondition(back.checksum == checksum.bytes, "checksum round trip")
        } catch let error as ShamirError {
            checkMessage(error)
        } catch {
            preconditionFailure("unexpected error type: \(error)")
        }
    }
}
