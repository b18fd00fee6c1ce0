import ArgumentParser

/// The share encodings `escrow shamir` speaks. Each has its own file (`NativeFormat.swift`, `VaultFormat.swift`,
/// `SLIP39Format.swift` with its own options); the commands only dispatch.
enum ShareFormat: String, ExpressibleByArgument, CaseIterable {
    /// `escrow-share-v1-…` lines (split id, threshold, CRC-32); binary files with `--out`.
    case native
    /// HashiCorp Vault's `y ‖ x` in base64 (hex accepted on input). Unauthenticated.
    case vault
    /// SLIP-0039 mnemonics (`SLIP39Format.swift`).
    case slip39

    static let vaultWarning =
        "warning: vault-format shares are unauthenticated: a wrong or missing share gives a wrong secret, not an error"
}
