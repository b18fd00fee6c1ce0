import Shamir

/// `VaultShare` decoding: arbitrary bytes as one line (base64 or hex). Decoded shares re-encode to base64 that decodes
/// to the same bytes (or, when that base64 happens to be all hex digits, is read as base64 within a set); refusals
/// carry a well-formed message.
enum VaultLineTarget {
    static func run(_ input: inout FuzzInput) {
        let line = input.rest()
        do {
            let count = try line.withUnsafeBytes { raw in
                try VaultShare.decodedCount(ofLine: raw, label: "line 1")
            }
            precondition(count >= 2, "a vault share has at least 2 bytes")
            var share = [UInt8](repeating: 0, count: count)
            try line.withUnsafeBytes { raw in
                try share.withUnsafeMutableBytes { out in
                    try VaultShare.decodeLine(raw, into: out, label: "line 1")
                }
            }
            precondition(share[count - 1] != 0, "x = 0 accepted")
            let value = Share(x: share[count - 1], y: Array(share[0..<(count - 1)]))
            let encoded = Array(VaultShare.encode(value).utf8)
            let looksHex =
                encoded.count % 2 == 0
                && encoded.allSatisfy {
                    (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0)
                }
            if looksHex {
                // One such line alone is ambiguous (read as hex); in a set with a line that is not hex it is base64.
                let other = Array("EjQF".utf8)
                let decided = try encoded.withUnsafeBytes { a in
                    try other.withUnsafeBytes { b in try VaultShare.encoding(ofLines: [a, b], labels: ["1", "2"]) }
                }
                precondition(decided == .base64, "a base64 line that looks like hex decided the set")
            } else {
                let again = try VaultShare.decode(String(decoding: encoded, as: UTF8.self))
                precondition(again == value, "base64 round trip changed the share")
            }
        } catch let error as ShamirError {
            checkMessage(error)
        } catch {
            preconditionFailure("unexpected error type: \(error)")
        }
    }
}
