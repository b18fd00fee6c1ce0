import Shamir
import Sodium

extension MasterKey {
    /// The shares chosen to rebuild one vault's key in a batch: their x-coordinates and where each share sits in the
    /// batch's share buffer.
    public struct Selection: Hashable, Sendable {
        /// The distinct, non-zero x-coordinates (at least the vault's threshold).
        public var xs: [UInt8]
        /// The byte offset of each share (``MasterKey/byteCount`` bytes), in the order of ``xs``.
        public var offsets: [Int]

        /// Pairs x-coordinates with share offsets.
        ///
        /// - Parameters:
        ///   - xs: The x-coordinates.
        ///   - offsets: The byte offsets of the shares in the batch buffer, in the same order.
        /// - Precondition: `xs.count == offsets.count`.
        public init(xs: [UInt8], offsets: [Int]) {
            precondition(xs.count == offsets.count, "one offset per x-coordinate")
            self.xs = xs
            self.offsets = offsets
        }

        /// The same shares ordered by x-coordinate, so that vaults combined from the same custodians group together.
        var sorted: Selection {
            let pairs = zip(xs, offsets).sorted { $0.0 < $1.0 }
            return Selection(xs: pairs.map(\.0), offsets: pairs.map(\.1))
        }
    }

    /// Rebuilds many master keys at once: vaults whose shares come from the same x-coordinates are combined together
    /// with one ``Shamir/Shamir/combineBatch(xs:rows:secretLength:into:)`` call (the Lagrange weights computed once
    /// per group). Every share and key stays in guarded memory: two scratch buffers for the whole batch, whatever the
    /// number of vaults.
    ///
    /// The result is NOT checked here: check each key against its vault (``publicKeysMatch(_:publicKeys:)``).
    ///
    /// - Parameters:
    ///   - selections: One selection per vault.
    ///   - shares: The batch's decrypted shares, at the selections' offsets.
    ///   - keys: Receives `selections.count` keys of ``byteCount`` bytes, key *i* at `i * byteCount`.
    /// - Throws: ``EscrowError/Code/sharingFailed`` for an unusable selection (fewer than two shares, a duplicate or
    ///   zero x-coordinate).
    /// - Complexity: O(total shares × ``byteCount``); three guarded allocations per call.
    /// - Precondition: `keys.count == selections.count * byteCount`; every offset lies within `shares`.
    public static func combineBatch(_ selections: [Selection], shares: SecureBytes, into keys: SecureBytes)
        throws(EscrowError)
    {
        precondition(keys.count == selections.count * byteCount, "one key slot per selection")
        var groups: [[UInt8]: [Int]] = [:]
        var order: [[UInt8]] = []
        let sorted = selections.map(\.sorted)
        for (index, selection) in sorted.enumerated() {
            for offset in selection.offsets {
                precondition(offset >= 0 && offset + byteCount <= shares.count, "share offset out of range")
            }
            if groups[selection.xs] == nil { order.append(selection.xs) }
            groups[selection.xs, default: []].append(index)
        }
        let largestRows = order.map { xs in xs.count * (groups[xs]?.count ?? 0) }.max() ?? 0
        let largestGroup = order.map { groups[$0]?.count ?? 0 }.max() ?? 0
        let rows = SecureBytes(count: largestRows * byteCount)
        let secrets = SecureBytes(count: largestGroup * byteCount)
        do {
            try shares.withUnsafeBytes { (input) throws(ShamirError) in
                try rows.withUnsafeMutableBytes { (rows) throws(ShamirError) in
                    try secrets.withUnsafeMutableBytes { (secrets) throws(ShamirError) in
                        try keys.withUnsafeMutableBytes { (keys) throws(ShamirError) in
                            for xs in order {
                                let members = groups[xs] ?? []
                                let count = members.count
                                // Share-major rows: row j holds the share at xs[j] of every member, member by member.
                                for row in 0..<xs.count {
                                    for (slot, member) in members.enumerated() {
                                        let source = sorted[member].offsets[row]
                                        let target = (row * count + slot) * byteCount
                                        UnsafeMutableRawBufferPointer(rebasing: rows[target..<(target + byteCount)])
                                            .copyMemory(
                                                from: UnsafeRawBufferPointer(
                                                    rebasing: input[source..<(source + byteCount)]
                                                )
                                            )
                                    }
                                }
                                let output = UnsafeMutableRawBufferPointer(rebasing: secrets[0..<(count * byteCount)])
                                try Shamir.combineBatch(
                                    xs: xs,
                                    rows: UnsafeRawBufferPointer(rebasing: rows[0..<(xs.count * count * byteCount)]),
                                    secretLength: byteCount,
                                    into: output
                                )
                                for (slot, member) in members.enumerated() {
                                    UnsafeMutableRawBufferPointer(
                                        rebasing: keys[(member * byteCount)..<((member + 1) * byteCount)]
                                    ).copyMemory(
                                        from: UnsafeRawBufferPointer(
                                            rebasing: output[(slot * byteCount)..<((slot + 1) * byteCount)]
                                        )
                                    )
                                }
                            }
                        }
                    }
                }
            }
        } catch {
            throw EscrowError(.sharingFailed, "cannot combine the shares: \(error.message)")
        }
    }

    /// Checks rebuilt keys against their vaults' public keys: one X25519 scalar multiplication per key, no guarded
    /// allocation.
    ///
    /// - Parameters:
    ///   - keys: `publicKeys.count` keys of ``byteCount`` bytes.
    ///   - publicKeys: The vaults' public keys, in the same order.
    /// - Returns: For each key, whether it is the secret half of its public key.
    /// - Complexity: One scalar multiplication per key.
    /// - Precondition: `keys.count == publicKeys.count * byteCount`.
    public static func publicKeysMatch(_ keys: SecureBytes, publicKeys: [[UInt8]]) -> [Bool] {
        precondition(keys.count == publicKeys.count * byteCount, "one key per public key")
        return keys.withUnsafeBytes { keys in
            publicKeys.enumerated().map { index, publicKey in
                let key = UnsafeRawBufferPointer(rebasing: keys[(index * byteCount)..<((index + 1) * byteCount)])
                return (try? BoxKeyPair.publicKey(forSecretKey: key)) == publicKey
            }
        }
    }
}
