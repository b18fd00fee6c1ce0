import ArgumentParser

/// The share encodings `escrow shamir` speaks. Each has its own file (`NativeFormat.swift`, `VaultFormat.swift`,
/// later `SLIP39Format.swift` with its own options); the commands only dispatch.
enum ShareFormat: String, ExpressibleByArgument, CaseIterable {
    /// `escrow-share-v1-…` lines (split id, threshold, CRC-32); binary files with `--out`.
    case native
    /// HashiCorp Vault's `y ‖ x` in base64 (hex accepted on input). Unauthenticated.
    case vault
    /// SLIP-0039 mnemonics (not in this build yet).
    case slip39

    static let vaultWarning =
        "warning: vault-format shares are unauthenticated: a wrong or missing share gives a wrong secret, not an error"

    /// Throws for formats this build cannot handle.
    func requireAvailable() throws {
        if self == .slip39 {
            throw CLIError("the slip39 format is not available in this build")
        }
    }
}
