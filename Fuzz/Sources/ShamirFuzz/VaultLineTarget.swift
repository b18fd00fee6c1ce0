import Shamir

/// `VaultShare` decoding: arbitrary bytes as one line (base64 or hex). Decoded shares re-encode to base64 that decodes
/// to the same bytes; refusals carry a well-formed message.
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
            let again = try VaultShare.decode(VaultShare.encode(value))
            precondition(again == value, "base64 round trip changed the share")
        } catch let error as ShamirError {
            checkMessage(error)
        } catch {
            preconditionFailure("unexpected error type: \(error)")
        }
    }
}
