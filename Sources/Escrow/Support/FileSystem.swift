internal import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension EscrowError {
    /// The escrow error for a platform failure: same message, and ``Code/notFound``, ``Code/alreadyExists`` or
    /// ``Code/ioFailure`` (``Code/invalidInput`` for input over a size limit or an operation the system lacks).
    init(_ error: PlatformError) {
        let code: Code
        switch error.code {
        case .notFound: code = .notFound
        case .alreadyExists: code = .alreadyExists
        case .tooLarge, .unsupported: code = .invalidInput
        default: code = .ioFailure
        }
        self.init(code, error.message)
    }
}

/// The store's file helpers: `Platform.FileSystem` and `FileDescriptorIO` with failures as ``EscrowError``.
enum FileSystem {
    /// The text of the current `errno`.
    static func systemError() -> String { FileDescriptorIO.describe() }

    /// The error for a failed system call on `path`.
    static func failure(_ what: String, _ path: String) -> EscrowError {
        EscrowError(PlatformError.system(what, path))
    }

    /// Whether something exists at `path` (a dangling symbolic link counts as existing).
    static func exists(_ path: String) -> Bool { Platform.FileSystem.exists(path) }

    /// Whether `path` is a directory (following symbolic links).
    static func isDirectory(_ path: String) -> Bool { Platform.FileSystem.isDirectory(path) }

    /// Reads a whole file of at most `limit` bytes.
    static func read(_ path: String, limit: Int = 256 << 20) throws(EscrowError) -> [UInt8] {
        do { return try Platform.FileSystem.read(path, limit: limit) } catch { throw EscrowError(error) }
    }

    /// Reads `count` bytes of an open file from `offset` on (fewer only at its end).
    static func read(fd: Int32, at offset: Int64, count: Int, path: String) throws(EscrowError) -> [UInt8] {
        do { return try FileDescriptorIO.read(fd, at: offset, count: count, name: path) } catch {
            throw EscrowError(error)
        }
    }

    /// Reads everything from a file descriptor into guarded memory.
    /// Reads everything from `fd`, refusing more than `limit` bytes (at most `limit + 1` are consumed).
    static func read(fd: Int32, limit: Int, name: String) throws(EscrowError) -> [UInt8] {
        do { return try FileDescriptorIO.readAll(fd, limit: limit, name: name) } catch { throw EscrowError(error) }
    }

    static func readSecret(fd: Int32, limit: Int, name: String) throws(EscrowError) -> SecureBytes {
        do { return try FileDescriptorIO.readSecret(fd, limit: limit, name: name) } catch { throw EscrowError(error) }
    }

    /// Reads a whole file into guarded memory.
    static func readSecret(path: String, limit: Int) throws(EscrowError) -> SecureBytes {
        do { return try Platform.FileSystem.readSecret(path: path, limit: limit) } catch { throw EscrowError(error) }
    }

    /// The names in a directory, without `.` and `..`, sorted.
    static func list(_ path: String) throws(EscrowError) -> [String] {
        do { return try Platform.FileSystem.list(path) } catch { throw EscrowError(error) }
    }

    /// The hidden names in a directory, sorted.
    static func hiddenNames(in path: String) throws(EscrowError) -> [String] {
        do { return try Platform.FileSystem.hiddenNames(in: path) } catch { throw EscrowError(error) }
    }

    /// Creates a directory.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(EscrowError) {
        do { try Platform.FileSystem.makeDirectory(path, mode: mode) } catch { throw EscrowError(error) }
    }

    /// Removes a file (not a directory); a missing file is not an error.
    static func remove(_ path: String) throws(EscrowError) {
        do { try Platform.FileSystem.remove(path) } catch { throw EscrowError(error) }
    }

    /// Removes a directory tree; symbolic links are removed, never followed.
    static func removeTree(_ path: String) throws(EscrowError) {
        do { try Platform.FileSystem.removeTree(path) } catch { throw EscrowError(error) }
    }

    /// Creates a fresh private directory under the system's temporary directory.
    static func makeTemporaryDirectory(prefix: String) throws(EscrowError) -> String {
        do { return try Platform.FileSystem.makeTemporaryDirectory(prefix: prefix) } catch { throw EscrowError(error) }
    }

    /// The parent directory of `path` (`.` for a bare name).
    static func directory(of path: String) -> String { Platform.FileSystem.directory(of: path) }
}
