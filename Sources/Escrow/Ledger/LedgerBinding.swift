/// The length-prefixed layout of every hashed or signed message in the ledger: a fixed ASCII context string, then each
/// field as a 4-byte big-endian length followed by its bytes.
///
/// This is a stand-in with exactly the layout of the shared `BindingEncoder` (TrustModel, "Binding fields"); it is
/// replaced by that type when the branches merge, so it stays internal.
enum LedgerBinding {
    /// Encodes `context` followed by each field with its length.
    ///
    /// - Parameters:
    ///   - context: The domain-separation string, e.g. `escrow-event-v2`.
    ///   - fields: The fields, in order.
    /// - Returns: The bytes to hash or sign.
    /// - Precondition: Every field is shorter than 4 GiB.
    static func encode(context: String, fields: [[UInt8]]) -> [UInt8] {
        var output = Array(context.utf8)
        output.reserveCapacity(output.count + fields.reduce(0) { $0 + 4 + $1.count })
        for field in fields {
            precondition(field.count <= Int(UInt32.max), "a binding field must be shorter than 4 GiB")
            let length = UInt32(field.count)
            output.append(UInt8(truncatingIfNeeded: length >> 24))
            output.append(UInt8(truncatingIfNeeded: length >> 16))
            output.append(UInt8(truncatingIfNeeded: length >> 8))
            output.append(UInt8(truncatingIfNeeded: length))
            output.append(contentsOf: field)
        }
        return output
    }
}
