import Sodium

/// Checks of public structure shared by the custody types (they branch only on public data).
enum CustodyValidation {
    /// Throws `invalidInput` unless `xs` are distinct and non-zero; `what` names them in the message.
    static func coordinates(_ xs: [UInt8], _ what: String) throws(EscrowError) {
        var seen = Set<UInt8>()
        for x in xs {
            guard x != 0 else { throw EscrowError(.invalidInput, "\(what): x-coordinate 0 is not allowed") }
            guard seen.insert(x).inserted else {
                throw EscrowError(.invalidInput, "\(what): x-coordinate \(x) appears twice")
            }
        }
    }

    /// Throws `invalidInput` unless `2 <= threshold <= count <= 255`.
    static func policy(threshold: Int, count: Int, _ what: String) throws(EscrowError) {
        guard threshold >= 2, threshold <= count, count <= 255 else {
            throw EscrowError(
                .invalidInput,
                "\(what): the threshold must be between 2 and the number of holders (at most 255); got \(threshold) "
                    + "of \(count)"
            )
        }
    }

    /// Throws `invalidInput` unless every component value has 32 bytes, paths have `pathCount` elements, and no path
    /// appears twice.
    static func components(_ components: [ShareComponent], pathCount: Int, _ what: String) throws(EscrowError) {
        var paths = Set<[UInt8]>()
        for component in components {
            guard component.value.count == ComponentDigest.valueCount else {
                throw EscrowError(
                    .invalidInput,
                    "\(what): the component \(CustodyText.path(component.path)) has \(component.value.count) bytes, "
                        + "not \(ComponentDigest.valueCount)"
                )
            }
            guard component.path.count == pathCount else {
                throw EscrowError(
                    .invalidInput,
                    "\(what): the component \(CustodyText.path(component.path)) should have a path of \(pathCount) "
                        + "contributors"
                )
            }
            guard paths.insert(component.path).inserted else {
                throw EscrowError(
                    .invalidInput,
                    "\(what): two components have the path \(CustodyText.path(component.path))"
                )
            }
        }
    }

    /// Throws `invalidInput` unless paths have `pathCount` elements and no path appears twice (the bulk forms, whose
    /// values are 32 bytes by construction).
    static func paths(_ paths: [[UInt8]], pathCount: Int, _ what: String) throws(EscrowError) {
        var seen = Set<[UInt8]>()
        for path in paths {
            guard path.count == pathCount else {
                throw EscrowError(
                    .invalidInput,
                    "\(what): the component \(CustodyText.path(path)) should have a path of \(pathCount) contributors"
                )
            }
            guard seen.insert(path).inserted else {
                throw EscrowError(.invalidInput, "\(what): two components have the path \(CustodyText.path(path))")
            }
        }
    }
}
