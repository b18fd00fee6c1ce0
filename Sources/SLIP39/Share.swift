import Sodium

extension SLIP39 {
    /// One SLIP-0039 member share: its public parameters and its secret value.
    ///
    /// Create shares with ``SLIP39/split(_:groupThreshold:groups:passphrase:iterationExponent:extendable:using:)``
    /// or decode them with `init(mnemonic:label:)`; print one with ``mnemonic()``.
    /// Indices are x-coordinates and start at 0; thresholds and counts are actual values (1...16). Error messages
    /// number groups and members from 1 (index + 1), as people do.
    public struct Share: Sendable {
        /// The public fields.
        let header: ShareHeader
        /// The share value (the polynomial's value at ``memberIndex``, one byte per secret byte).
        public let value: SecureBytes
        /// How error messages name this share, e.g. `line 3`; `nil` names it by its position in a list.
        public var label: String?

        init(header: ShareHeader, value: SecureBytes, label: String?) {
            self.header = header
            self.value = value
            self.label = label
        }

        /// The random 15-bit identifier common to all shares of one split.
        public var identifier: Int { header.identifier }
        /// The extendable-backup flag: the identifier is not part of the encryption salt.
        public var isExtendable: Bool { header.isExtendable }
        /// PBKDF2 runs `10000 << iterationExponent` iterations in total.
        public var iterationExponent: Int { header.iterationExponent }
        /// The group's x-coordinate (0-based).
        public var groupIndex: Int { header.groupIndex }
        /// Groups needed to recover the master secret.
        public var groupThreshold: Int { header.groupThreshold }
        /// Groups in the split.
        public var groupCount: Int { header.groupCount }
        /// The member's x-coordinate within its group (0-based).
        public var memberIndex: Int { header.memberIndex }
        /// Member shares needed to recover the group share.
        public var memberThreshold: Int { header.memberThreshold }
    }
}
