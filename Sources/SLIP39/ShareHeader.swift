/// The public fields of a share: everything in a mnemonic except the share value and the checksum.
///
/// Thresholds and counts hold their actual values (1...16); the mnemonic stores them minus one.
/// Indices are the x-coordinates (0...15).
struct ShareHeader: Hashable, Sendable {
    /// The random 15-bit identifier common to all shares of one split.
    var identifier: Int
    /// The extendable-backup flag: the identifier is not part of the encryption salt.
    var isExtendable: Bool
    /// PBKDF2 runs `10000 << iterationExponent` iterations in total.
    var iterationExponent: Int
    /// The x-coordinate of the group share (0-based).
    var groupIndex: Int
    /// Groups needed to recover the secret.
    var groupThreshold: Int
    /// Groups in the split.
    var groupCount: Int
    /// The x-coordinate of the member share within its group (0-based).
    var memberIndex: Int
    /// Member shares needed to recover the group share.
    var memberThreshold: Int

    /// Traps unless every field fits its bit width; callers validate user input before building a header.
    func checkFieldRanges() {
        precondition((0..<(1 << SLIP39.identifierBitCount)).contains(identifier), "identifier is 15 bits")
        precondition((0...SLIP39.maximumIterationExponent).contains(iterationExponent), "exponent is 4 bits")
        precondition((0..<16).contains(groupIndex) && (0..<16).contains(memberIndex), "indices are 4 bits")
        precondition((1...16).contains(groupThreshold) && (1...16).contains(groupCount), "group fields are 4 bits")
        precondition((1...16).contains(memberThreshold), "member threshold is 4 bits")
    }
}
