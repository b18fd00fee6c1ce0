import Shamir
import Sodium

// One level of SLIP-0039 sharing: SplitSecret and RecoverSecret of the specification. The shared secret sits at
// x = 255 and a digest share at x = 254 (four bytes of HMAC-SHA256(key: R, message: S) followed by R), so a
// recovery from the wrong shares is detected.

extension SLIP39 {
    /// Evaluates at `x` the polynomial through `(xs[i], row i)`.
    ///
    /// - Precondition: `xs` is non-empty and distinct, and `rows.count == xs.count * result.count` (callers check
    ///   user input before getting here).
    static func interpolate(
        at x: UInt8,
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into result: UnsafeMutableRawBufferPointer
    ) {
        do {
            try Shamir.interpolate(at: x, xs: xs, rows: rows, into: result)
        } catch {
            preconditionFailure("interpolation called with unchecked arguments: \(error)")
        }
    }

    /// Splits `secret` into `shareCount` rows (x = 0, 1, …) of which any `threshold` recover it.
    ///
    /// Random bytes are drawn in the order of the reference implementation: `threshold − 2` random rows of
    /// `secret.count` bytes (one `fill` each), then the `secret.count − 4` random bytes of the digest share.
    ///
    /// - Parameters:
    ///   - threshold: `1...shareCount`.
    ///   - shareCount: `threshold...16`.
    ///   - secret: At least 16 bytes.
    ///   - shares: `shareCount` rows of `secret.count` bytes, row *i* for x = *i*.
    ///   - random: The randomness source.
    /// - Precondition: The counts are in range and `shares` has the right size.
    static func splitSecret(
        threshold: Int,
        shareCount: Int,
        secret: UnsafeRawBufferPointer,
        into shares: UnsafeMutableRawBufferPointer,
        using random: inout some RandomSource
    ) {
        precondition(1 <= threshold && threshold <= shareCount && shareCount <= maximumShareCount, "share counts")
        precondition(secret.count > digestByteCount, "secret length")
        let length = secret.count
        precondition(shares.count == shareCount * length, "share buffer size")
        func row(_ index: Int) -> UnsafeMutableRawBufferPointer {
            UnsafeMutableRawBufferPointer(rebasing: shares[(index * length)..<((index + 1) * length)])
        }
        if threshold == 1 {
            // No digest with threshold 1: every share is the secret itself.
            for index in 0..<shareCount { row(index).copyMemory(from: secret) }
            return
        }
        let randomRowCount = threshold - 2
        // The interpolation base: the random rows, then the digest share (x = 254), then the secret (x = 255).
        let base = SecureBytes(count: threshold * length)
        let tag = SecureBytes(count: HMACSHA256.byteCount)
        base.withUnsafeMutableBytes { base in
            func baseRow(_ index: Int) -> UnsafeMutableRawBufferPointer {
                UnsafeMutableRawBufferPointer(rebasing: base[(index * length)..<((index + 1) * length)])
            }
            for index in 0..<randomRowCount {
                random.fill(baseRow(index))
                row(index).copyMemory(from: UnsafeRawBufferPointer(baseRow(index)))
            }
            let digestRow = baseRow(randomRowCount)
            random.fill(UnsafeMutableRawBufferPointer(rebasing: digestRow[digestByteCount...]))
            tag.withUnsafeMutableBytes { tag in
                HMACSHA256.authenticate(
                    secret,
                    key: UnsafeRawBufferPointer(rebasing: digestRow[digestByteCount...]),
                    into: tag
                )
                digestRow.copyMemory(from: UnsafeRawBufferPointer(rebasing: tag[0..<digestByteCount]))
            }
            baseRow(threshold - 1).copyMemory(from: secret)
            let xs = (0..<randomRowCount).map { UInt8($0) } + [digestIndex, secretIndex]
            for index in randomRowCount..<shareCount {
                interpolate(at: UInt8(index), xs: xs, rows: UnsafeRawBufferPointer(base), into: row(index))
            }
        }
    }

    /// Recovers a shared secret from exactly `threshold` rows and checks its digest.
    ///
    /// - Parameters:
    ///   - threshold: The threshold the rows were split with (`xs.count`).
    ///   - xs: The rows' distinct x-coordinates.
    ///   - rows: `xs.count` rows of `secret.count` bytes.
    ///   - secret: Receives the shared secret.
    /// - Returns: `true` if the digest share matches the recovered secret (always `true` for threshold 1, which
    ///   has no digest).
    /// - Precondition: `xs.count == threshold`, distinct, and the sizes match.
    static func recoverSecret(
        threshold: Int,
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into secret: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(xs.count == threshold && rows.count == threshold * secret.count, "recovery sizes")
        precondition(secret.count > digestByteCount, "secret length")
        if threshold == 1 {
            secret.copyMemory(from: rows)
            return true
        }
        interpolate(at: secretIndex, xs: xs, rows: rows, into: secret)
        let digestShare = SecureBytes(count: secret.count)
        let tag = SecureBytes(count: HMACSHA256.byteCount)
        return digestShare.withUnsafeMutableBytes { digestShare in
            interpolate(at: digestIndex, xs: xs, rows: rows, into: digestShare)
            return tag.withUnsafeMutableBytes { tag in
                HMACSHA256.authenticate(
                    UnsafeRawBufferPointer(secret),
                    key: UnsafeRawBufferPointer(rebasing: digestShare[digestByteCount...]),
                    into: tag
                )
                // Whether the digest matches is public: the recovery is refused or not.
                return ConstantTime.declassify(
                    Sodium.constantTimeEquals(
                        UnsafeRawBufferPointer(rebasing: tag[0..<digestByteCount]),
                        UnsafeRawBufferPointer(rebasing: digestShare[0..<digestByteCount])
                    )
                )
            }
        }
    }
}
