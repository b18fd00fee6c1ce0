import Shamir

/// `FileChecksum`: fed in arbitrary pieces it equals the word-by-word definition, and `followed(by:)` joins a
/// word-aligned prefix and the rest.
enum ChecksumTarget {
    static func run(_ input: inout FuzzInput) {
        let cuts = (0..<3).map { _ in Int(input.byte()) * 7 }
        let data = input.rest()
        var pieces = FileChecksum()
        var start = 0
        for cut in cuts + [data.count] {
            let end = min(data.count, start + cut)
            data[start..<end].withUnsafeBytes { pieces.update($0) }
            start = end
        }
        data[start...].withUnsafeBytes { pieces.update($0) }
        precondition(pieces.bytes == definition(data), "pieces differ from the definition")
        let head = (cuts[0] / 4 * 4) % (data.count + 1) / 4 * 4
        var first = FileChecksum()
        var second = FileChecksum()
        data[0..<head].withUnsafeBytes { first.update($0) }
        data[head...].withUnsafeBytes { second.update($0) }
        precondition(first.followed(by: second).bytes == pieces.bytes, "followed(by:) differs")
    }

    private static func definition(_ data: [UInt8]) -> [UInt8] {
        var a: UInt64 = 0
        var b: UInt64 = 0
        var i = 0
        while i < data.count {
            var word: UInt64 = 0
            for j in 0..<4 where i + j < data.count { word |= UInt64(data[i + j]) << UInt64(8 * j) }
            a &+= word
            b &+= a
            i += 4
        }
        return (0..<8).map { UInt8(truncatingIfNeeded: a >> UInt64(8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: b >> UInt64(8 * $0)) }
    }
}
