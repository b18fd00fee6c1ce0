import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The demo's temporary directory: store, identity files, passphrase files, input files. Removed by ``remove()``.
final class DemoWorkspace {
    let root: String
    private var removed = false

    init() throws {
        root = try FileSystem.makeTemporaryDirectory(prefix: "escrow-demo-")
    }

    /// A path inside the workspace.
    func path(_ name: String) -> String { "\(root)/\(name)" }

    var store: String { path("store") }

    /// The text shown for a path: `$DEMO/…`.
    func display(_ text: String) -> String {
        text.hasPrefix(root) ? "$DEMO" + text.dropFirst(root.count) : text
    }

    /// Writes secret bytes to a new owner-only file (mode 0600), straight from guarded memory.
    func writeSecret(_ bytes: SecureBytes, to name: String) throws {
        let path = path(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot create \(path): \(FileDescriptorIO.describe())") }
        defer { close(fd) }
        try bytes.withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: path) }
        try [UInt8(ascii: "\n")].withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: path) }
    }

    /// Writes public text to a file.
    func writeText(_ text: String, to name: String) throws {
        try AtomicFile.write(Array(text.utf8), to: path(name), mode: 0o600)
    }

    /// Deletes everything (idempotent).
    func remove() {
        guard !removed else { return }
        removed = true
        try? FileSystem.removeTree(root)
    }

    deinit { remove() }
}
