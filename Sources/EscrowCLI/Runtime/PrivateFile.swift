import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks that files holding secrets are private to their owner, as ssh does for private keys: an identity file
/// that its group or others may read is refused, a passphrase file is read with a warning.
enum PrivateFile {
    /// The permission bits that let anyone but the owner read, write or run a file.
    static let othersMask: mode_t = 0o077

    /// The permission bits of `path` as `0644`, or `nil` when they are private (or the file cannot be examined:
    /// the read that follows says why).
    static func exposedMode(_ path: String) -> String? {
        guard let mode = Platform.FileSystem.permissions(path), mode & othersMask != 0 else { return nil }
        return "0" + String(mode & 0o777, radix: 8)
    }

    /// Refuses an identity file that its group or others may access.
    ///
    /// - Parameter path: The identity file.
    /// - Throws: ``CLIError`` naming the file, its mode and the fix.
    static func requirePrivateIdentity(_ path: String) throws {
        if let mode = exposedMode(path) {
            throw CLIError(
                "\(path) is readable by others (mode \(mode)): an identity file must be private to you; "
                    + "chmod 600 it"
            )
        }
    }

    /// Warns (one line on standard error) about a passphrase file that its group or others may access.
    ///
    /// - Parameter path: The passphrase file.
    static func warnIfExposed(passphraseFile path: String) {
        if exposedMode(path) != nil {
            Console.warning("\(path) is readable by others: chmod 600 \(path)")
        }
    }
}
