import Escrow
import Foundation
import Platform
import Sodium

/// The demo's temporary directory: identities, passphrase files, a bare git remote, two members' clones of the
/// store, and a state directory of its own (pins, request keys), all removed at the end.
final class DemoWorkspace {
    /// The directory.
    let root: String
    private var removed = false

    /// Creates the directory and points this process's state directory and git identity at demo values.
    init() throws {
        root = try FileSystem.makeTemporaryDirectory(prefix: "escrow-demo-")
        setenv(StoreLocation.stateVariable, path("state"), 1)
        for (name, value) in [
            ("GIT_AUTHOR_NAME", "escrow demo"), ("GIT_AUTHOR_EMAIL", "demo@example.com"),
            ("GIT_COMMITTER_NAME", "escrow demo"), ("GIT_COMMITTER_EMAIL", "demo@example.com"),
        ] {
            setenv(name, value, 1)
        }
    }

    /// A path inside the workspace.
    func path(_ name: String) -> String { "\(root)/\(name)" }

    /// `$DEMO/…` instead of the temporary path, for display.
    func display(_ text: String) -> String {
        text.replacingOccurrences(of: root, with: "$DEMO")
    }

    /// Writes a secret (a passphrase) followed by a newline, mode 0600.
    func writeSecret(_ bytes: SecureBytes, to name: String) throws {
        let path = path(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot create \(path): \(FileDescriptorIO.describe())") }
        defer { close(fd) }
        try bytes.withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: path) }
        try [UInt8(ascii: "\n")].withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: path) }
    }

    /// Writes a public text file.
    func writeText(_ text: String, to name: String) throws {
        try AtomicFile.write(Array(text.utf8), to: path(name), mode: 0o600)
    }

    /// Runs git (no shell), failing the demo on an error.
    func git(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "init.defaultBranch=main"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError("the demo could not run git \(arguments.joined(separator: " ")) (is git installed?)")
        }
    }

    /// Points the state directory (pins, high-water marks, request keys) at the machine of the clone a command
    /// acts on: each clone stands for one person's laptop (`NAME-store` → `state/NAME`).
    func useMachine(of arguments: [String]) {
        var owner = "alice"
        if let index = arguments.firstIndex(of: "--store"), index + 1 < arguments.count {
            let store = arguments[index + 1].split(separator: "/").last.map(String.init) ?? ""
            if store.hasSuffix("-store") { owner = String(store.dropLast(6)) }
        }
        setenv(StoreLocation.stateVariable, path("state/\(owner)"), 1)
    }

    /// Deletes everything.
    func remove() {
        guard !removed else { return }
        removed = true
        try? FileSystem.removeTree(root)
    }

    deinit { remove() }
}
