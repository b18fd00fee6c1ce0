internal import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable file writes for the store (`Platform.AtomicFile` and `Platform.FileSystem` with failures as
/// ``EscrowError``): write + `fsync`, then `rename` over the target and `fsync` the directory, so that after a crash
/// the target holds either its old or its new contents, never a mix.
enum DurableFile {
    /// Writes `bytes` to `path` (created or truncated) and flushes them to stable storage.
    static func writeDurably(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, exclusive: Bool = false)
        throws(EscrowError)
    {
        do {
            try Platform.FileSystem.writeFile(bytes, to: path, mode: mode, exclusive: exclusive, flush: true)
        } catch {
            throw EscrowError(error)
        }
    }

    /// Writes `bytes` to `path` (created or truncated) **without** flushing: a batch writes many files this way and
    /// then makes them durable together (``syncFileSystem(of:)``, or ``flush(_:)`` for each).
    static func writeUnflushed(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(EscrowError) {
        do { try Platform.FileSystem.writeFile(bytes, to: path, mode: mode, flush: false) } catch {
            throw EscrowError(error)
        }
    }

    /// Flushes a file written earlier (``writeUnflushed(_:to:mode:)``) to stable storage.
    static func flush(_ path: String) throws(EscrowError) {
        do { try Platform.FileSystem.flush(path) } catch { throw EscrowError(error) }
    }

    /// Whether ``syncFileSystem(of:)`` is available here (Linux `syncfs(2)`).
    static var canSyncFileSystem: Bool { Platform.FileSystem.canSyncFileSystem }

    /// Flushes every dirty file and directory entry of the file system holding `path` with one `syncfs(2)` call.
    static func syncFileSystem(of path: String) throws(EscrowError) {
        do { try Platform.FileSystem.syncFileSystem(of: path) } catch { throw EscrowError(error) }
    }

    /// Writes every byte of `bytes` to `fd`, retrying short writes.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(EscrowError) {
        do { try FileDescriptorIO.writeAll(fd, bytes, name: path) } catch { throw EscrowError(error) }
    }

    /// Flushes a directory's entries (after a rename or a new file) to stable storage.
    static func syncDirectory(_ path: String) throws(EscrowError) {
        do { try Platform.FileSystem.syncDirectory(path) } catch { throw EscrowError(error) }
    }

    /// Renames `source` over `target` (atomic on POSIX file systems).
    static func rename(_ source: String, over target: String) throws(EscrowError) {
        do { try Platform.FileSystem.rename(source, over: target) } catch { throw EscrowError(error) }
    }

    /// Replaces `path` atomically (`Platform.AtomicFile`): a hidden temporary file beside it, flushed, renamed over
    /// `path`, the directory flushed. On failure the temporary file is removed and `path` is unchanged.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(EscrowError) {
        do { try AtomicFile.write(bytes, to: path, mode: mode) } catch { throw EscrowError(error) }
    }
}
