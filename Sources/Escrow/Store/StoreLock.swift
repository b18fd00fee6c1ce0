#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The store's advisory lock: an exclusive `flock` on `STORE/.lock`, held for a command's whole read-modify-write,
/// so concurrent commands (several processes, several machines on a file system with working `flock`) never lose an
/// update. Released when the value is deinitialised or ``release()`` is called.
final class StoreLock {
    private var fd: Int32

    /// Blocks until the lock is held.
    ///
    /// - Parameter path: The lock file (created if missing).
    /// - Throws: ``EscrowError/Code/ioFailure``.
    init(path: String) throws(EscrowError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.failure("open the lock file", path) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let error = FileSystem.failure("lock", path)
            close(fd)
            throw error
        }
    }

    /// Releases the lock now.
    func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
