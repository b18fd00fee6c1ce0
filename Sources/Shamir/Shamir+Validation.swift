extension Shamir {
    /// Checks that `xs` holds distinct x-coordinates, optionally none of them 0.
    ///
    /// Branches only on the public coordinates.
    static func checkCoordinates(_ xs: [UInt8], allowZero: Bool) throws(ShamirError) {
        var seen = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for x in xs {
            if x == 0 && !allowZero {
                throw ShamirError(.zeroCoordinate, "a share has x-coordinate 0, which would be the secret itself")
            }
            let bit = UInt64(1) &<< UInt64(x & 63)
            let duplicate: Bool
            switch x >> 6 {
            case 0:
                duplicate = seen.0 & bit != 0
                seen.0 |= bit
            case 1:
                duplicate = seen.1 & bit != 0
                seen.1 |= bit
            case 2:
                duplicate = seen.2 & bit != 0
                seen.2 |= bit
            default:
                duplicate = seen.3 & bit != 0
                seen.3 |= bit
            }
            if duplicate {
                throw ShamirError(.duplicateCoordinate, "two shares have the same x-coordinate \(x)")
            }
        }
    }

    /// Checks `2 <= threshold <= shareCount <= 255`.
    static func checkPolicy(threshold: Int, shareCount: Int) throws(ShamirError) {
        guard (2...maximumShareCount).contains(threshold) else {
            throw ShamirError(.invalidThreshold, "the threshold must be between 2 and 255, not \(threshold)")
        }
        guard (threshold...maximumShareCount).contains(shareCount) else {
            throw ShamirError(
                .invalidShareCount,
                "the number of shares must be between the threshold (\(threshold)) and 255, not \(shareCount)"
            )
        }
    }

    /// Throws `bufferSizeMismatch` unless `actual == expected`.
    static func checkSize(_ what: String, _ actual: Int, expected: Int) throws(ShamirError) {
        guard actual == expected else {
            throw ShamirError(.bufferSizeMismatch, "\(what) holds \(actual) bytes, expected \(expected)")
        }
    }
}
