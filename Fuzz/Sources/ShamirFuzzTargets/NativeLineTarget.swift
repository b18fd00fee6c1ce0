import Shamir

/// `NativeShare` line parsing: arbitrary bytes as one line. Accepted lines are canonical (re-encoding the parsed share
/// gives the same bytes); refusals carry a well-formed message. The `String` convenience path must agree.
enum NativeLineTarget {
    static func run(_ input: inout FuzzInput) {
        let line = input.rest()
        do {
            let parsed = try line.withUnsafeBytes { raw in try NativeShare.parseLine(raw, label: "line 1") }
            var payload = [UInt8](repeating: 0, count: parsed.payloadCount)
            try line.withUnsafeBytes { raw in
                try payload.withUnsafeMutableBytes { out in
                    try NativeShare.decodePayload(ofLine: raw, into: out)
                }
            }
            precondition(Array(parsed.share.encodeLine(payload).utf8) == line, "an accepted line is not canonical")
            let decoded = try NativeShare.decodeLine(String(decoding: line, as: UTF8.self))
            precondition(decoded.share == parsed.share && decoded.payload == payload, "String path disagrees")
        } catch let error as ShamirError {
            checkMessage(error)
        } catch {
            preconditionFailure("unexpected error type: \(error)")
        }
    }
}
