import Sodium

/// One credential version to deal (see ``Dealer/deal(_:using:)``): the value, the version it belongs to, the vault
/// generation whose policy is used, and that policy's holders.
public struct DealJob: Sendable {
    /// The credential value.
    public var value: SecureBytes
    /// The version.
    public var binding: VersionBinding
    /// The vault generation whose policy is used.
    public var generation: Int64
    /// The policy's holders.
    public var recipients: DealRecipients

    /// Describes one version to deal.
    ///
    /// - Parameters:
    ///   - value: The credential value.
    ///   - binding: The version.
    ///   - generation: The vault generation.
    ///   - recipients: The policy's holders.
    public init(value: SecureBytes, binding: VersionBinding, generation: Int64, recipients: DealRecipients) {
        self.value = value
        self.binding = binding
        self.generation = generation
        self.recipients = recipients
    }
}
