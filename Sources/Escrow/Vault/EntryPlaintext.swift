import Sodium

/// The plaintext sealed for an entry version: a header binding it to its place, then the value.
///
/// Layout: `"escrow-entry-v1"` ‖ 0x00 ‖ vault id (16 bytes) ‖ entry-name length (1 byte) ‖ entry name ‖ kind length
/// (1 byte) ‖ kind ‖ version (4 bytes, big-endian) ‖ value. Whoever opens an entry checks the header, so a sealed
/// value copied to another entry, vault, kind or version is refused even though anyone can seal to the vault key.
public enum EntryPlaintext {
    private static let magic = Array("escrow-entry-v1".utf8) + [0]

    private static func header(vaultID: [UInt8], entry: String, kind: EntryKind, version: Int) -> [UInt8] {
        let name = Array(entry.utf8)
        let kindBytes = Array(kind.rawValue.utf8)
        precondition(name.count <= 255 && kindBytes.count <= 255, "entry names are at most 64 bytes")
        var bytes = magic + vaultID
        bytes.append(UInt8(name.count))
        bytes += name
        bytes.append(UInt8(kindBytes.count))
        bytes += kindBytes
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: version).bigEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Seals `value` with its header to the vault public key.
    ///
    /// - Parameters:
    ///   - value: The secret value.
    ///   - vaultID: The vault identifier.
    ///   - entry: The entry name.
    ///   - kind: The entry kind.
    ///   - version: The version number.
    ///   - publicKey: The vault's X25519 public key.
    /// - Returns: The sealed box.
    /// - Throws: ``EscrowError/Code/cryptoFailure`` if libsodium refuses the key.
    public static func seal(
        _ value: SecureBytes,
        vaultID: [UInt8],
        entry: String,
        kind: EntryKind,
        version: Int,
        to publicKey: [UInt8]
    ) throws(EscrowError) -> [UInt8] {
        let head = header(vaultID: vaultID, entry: entry, kind: kind, version: version)
        let plaintext = SecureBytes(count: head.count + value.count)
        plaintext.withUnsafeMutableBytes { out in
            out.copyBytes(from: head)
            value.withUnsafeBytes { source in
                if source.count > 0 {
                    UnsafeMutableRawBufferPointer(rebasing: out[head.count...]).copyMemory(from: source)
                }
            }
        }
        do {
            return try SealedBox.seal(plaintext, to: publicKey)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot seal entry '\(entry)': \(error.message)")
        }
    }

    /// Opens a sealed entry version with the vault's master key and checks its header.
    ///
    /// - Parameters:
    ///   - sealed: The sealed box.
    ///   - masterKey: The vault's reconstructed key pair.
    ///   - vaultID: The expected vault identifier.
    ///   - entry: The expected entry name.
    ///   - kind: The expected kind.
    ///   - version: The expected version.
    /// - Returns: The value, in guarded memory.
    /// - Throws: ``EscrowError/Code/tampered`` if the box does not open or belongs elsewhere.
    public static func open(
        _ sealed: [UInt8],
        masterKey: BoxKeyPair,
        vaultID: [UInt8],
        entry: String,
        kind: EntryKind,
        version: Int
    ) throws(EscrowError) -> SecureBytes {
        let plaintext: SecureBytes
        do {
            plaintext = try SealedBox.open(sealed, with: masterKey)
        } catch {
            throw EscrowError(.tampered, "entry '\(entry)' version \(version) does not open with this vault's key")
        }
        let head = header(vaultID: vaultID, entry: entry, kind: kind, version: version)
        let matches =
            plaintext.count >= head.count
            && plaintext.withUnsafeBytes { bytes in
                head.withUnsafeBytes {
                    Sodium.constantTimeEquals(UnsafeRawBufferPointer(rebasing: bytes[0..<head.count]), $0)
                }
            }
        guard matches else {
            throw EscrowError(
                .tampered,
                "entry '\(entry)' version \(version) was sealed for another vault, entry, kind or version"
            )
        }
        return plaintext.slice(head.count..<plaintext.count)
    }
}
