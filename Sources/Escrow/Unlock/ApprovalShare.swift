/// One custodian's share inside an ``UnlockApproval``: which vault, generation and x-coordinate it belongs to, and
/// the share re-encrypted to the request's ephemeral key.
///
/// `sealed_share` is XChaCha20-Poly1305 (`nonce ‖ ciphertext ‖ tag`) under the approval's batch key (see
/// ``UnlockApproval``) with associated data `escrow-unlock-share-v1` ‖ 0x00 ‖ request hash (32) ‖ vault id (16) ‖
/// generation (8 bytes, big-endian) ‖ custodian fingerprint (10) ‖ x, so a share cannot be moved to another request,
/// vault, generation, custodian or x-coordinate without failing to decrypt.
public struct ApprovalShare: Hashable, Sendable, Codable {
    /// The vault's identifier.
    public var vaultID: HexBytes
    /// The vault's name (for people; the id is what counts).
    public var vaultName: String
    /// The generation of the share.
    public var generation: Int64
    /// The share's x-coordinate.
    public var x: UInt8
    /// The re-encrypted share.
    public var sealedShare: Base64Bytes

    enum CodingKeys: String, CodingKey {
        case generation, x
        case vaultID = "vault_id"
        case vaultName = "vault_name"
        case sealedShare = "sealed_share"
    }

    /// Creates a sealed share entry.
    ///
    /// - Parameters:
    ///   - vaultID: The vault identifier.
    ///   - vaultName: The vault name.
    ///   - generation: The share's generation.
    ///   - x: The share's x-coordinate.
    ///   - sealedShare: The AEAD output.
    public init(vaultID: HexBytes, vaultName: String, generation: Int64, x: UInt8, sealedShare: Base64Bytes) {
        self.vaultID = vaultID
        self.vaultName = vaultName
        self.generation = generation
        self.x = x
        self.sealedShare = sealedShare
    }

    private static let adDomain = Array("escrow-unlock-share-v1".utf8) + [0]

    /// The associated data binding a re-encrypted share to its request, vault, generation, custodian and x.
    ///
    /// - Parameters:
    ///   - requestHash: The request hash.
    ///   - vaultID: The vault identifier.
    ///   - generation: The share's generation.
    ///   - fingerprint: The custodian's fingerprint.
    ///   - x: The share's x-coordinate.
    /// - Returns: The associated-data bytes.
    public static func associatedData(
        requestHash: [UInt8],
        vaultID: [UInt8],
        generation: Int64,
        fingerprint: Fingerprint,
        x: UInt8
    ) -> [UInt8] {
        var data = adDomain + requestHash + vaultID
        withUnsafeBytes(of: generation.bigEndian) { data.append(contentsOf: $0) }
        data += fingerprint.bytes
        data.append(x)
        return data
    }
}
