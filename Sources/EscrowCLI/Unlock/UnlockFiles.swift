import Escrow
import Platform

/// Reading request and approval files, and writing the files the unlock commands produce.
enum UnlockFiles {
    /// The largest request or approval file read: a bulk re-split of tens of thousands of vaults stays well below.
    static let sizeLimit = 256 << 20

    static func request(_ path: String) throws -> UnlockRequest {
        try UnlockRequest.decode(try FileSystem.read(path, limit: sizeLimit), source: path)
    }

    static func approval(_ path: String) throws -> ApprovalFile {
        try ApprovalFile(decoding: try FileSystem.read(path, limit: sizeLimit), source: path)
    }

    /// Writes public bytes (a request, an approval) to a new file atomically (mode 0600; an existing file is never
    /// replaced), or to standard output when `path` is nil.
    static func write(_ bytes: [UInt8], to path: String?) throws {
        guard let path else {
            try bytes.withUnsafeBytes { try FileDescriptorIO.writeAll(1, $0, name: "standard output") }
            return
        }
        let file = try AtomicFile(path: path)
        do {
            try bytes.withUnsafeBytes { try file.write($0) }
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}

/// Messages for people: on standard output when the command's product went to a file, on standard error when the
/// product itself is on standard output.
struct Narration {
    let toStandardOutput: Bool

    func line(_ text: String = "") {
        if toStandardOutput {
            Output.line(text)
        } else {
            StandardError.writeLine(text)
        }
    }
}
