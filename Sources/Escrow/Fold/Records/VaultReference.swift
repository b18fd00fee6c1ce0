/// How events name a vault: its permanent id and its name, both fixed at creation and bound into every signature that
/// names the vault (an event naming the right id with another name is refused by the fold).
public struct VaultReference: Hashable, Sendable, Codable {
    /// The 16-byte vault id.
    public var id: HexBytes
    /// The vault's name.
    public var name: String

    /// Creates a reference.
    ///
    /// - Parameters:
    ///   - id: The 16-byte vault id.
    ///   - name: The vault's name.
    public init(id: [UInt8], name: String) {
        self.id = HexBytes(id)
        self.name = name
    }
}
