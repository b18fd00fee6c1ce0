#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The leftovers of atomic writes that were interrupted (a process killed between creating its temporary file and
/// renaming it into place), and their safe removal.
///
/// Two writers leave them, each under a name of its own exact form:
///
/// - ``Form/locked``: `.<name>.tmp-<12 lowercase hex digits>`, the event, marker and trust files of the ledger. Its
///   writer holds an exclusive `flock` on the temporary file from right after creating it until after the rename.
/// - ``Form/process(_:)``: `.<name>.tmp-<pid>-<n>` (decimal, no leading zero), ``AtomicFile`` in its hidden form
///   (the state directory's snapshots, journals and keys).
///
/// **The rule.** A file is removed only if its name has one of these forms exactly (`<name>` non-empty), it is a
/// regular file (never a symbolic link, a directory or anything else; nothing is followed), it was last modified more
/// than ``minimumAge`` ago, and its writer is gone: for ``Form/locked``, no one holds its lock (checked on the very
/// file whose name is then removed); for ``Form/process(_:)``, no process has its pid (`kill(pid, 0)` says `ESRCH`;
/// never this process). A writer in progress either holds the lock or is alive, so its file is kept; the only
/// window is a writer stopped for more than ``minimumAge`` between the two system calls that create and lock its
/// temporary file, and it then fails cleanly: its rename finds no file and reports an I/O error, nothing is
/// half-written. Removal is `unlinkat` of that one name in an already open directory: a hostile entry (a hard link
/// to another file, a name swapped in between) can only lose that name, never anything it points to.
public enum StaleTemporary {
    /// Which writer left a temporary file.
    public enum Form: Equatable, Sendable {
        /// `.<name>.tmp-<12 hex>`: a writer that holds a lock on its file.
        case locked
        /// `.<name>.tmp-<pid>-<n>`: the writer with process id `pid`.
        case process(pid_t)
    }

    /// How long ago a temporary file must have been last modified to be removed: ten minutes, in seconds (an atomic
    /// write takes milliseconds).
    public static let minimumAge = 600

    /// The form of `name` if it is exactly the name of a temporary file of one of our writers.
    ///
    /// - Parameter name: A directory entry's name.
    /// - Returns: Its form, or `nil` for any other name.
    public static func form(of name: String) -> Form? {
        let bytes = Array(name.utf8)
        let marker = Array(".tmp-".utf8)
        guard bytes.count > 1 + 1 + marker.count, bytes[0] == UInt8(ascii: "."), !bytes.contains(UInt8(ascii: "/"))
        else { return nil }
        // The last `.tmp-` ends the name being written: `.a.tmp-b.tmp-<suffix>` is the temporary of `a.tmp-b`.
        guard
            let start = stride(from: bytes.count - marker.count, through: 2, by: -1).first(where: {
                bytes[$0..<($0 + marker.count)].elementsEqual(marker)
            })
        else { return nil }
        let suffix = bytes[(start + marker.count)...]
        if suffix.count == 12, suffix.allSatisfy(isLowercaseHex) { return .locked }
        let parts = suffix.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = decimal(parts[0], maximumDigits: 10), pid > 0, pid <= Int(Int32.max),
            decimal(parts[1], maximumDigits: 4) != nil
        else { return nil }
        return .process(pid_t(pid))
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// A decimal number without sign or leading zero, of at most `maximumDigits` digits.
    private static func decimal(_ digits: ArraySlice<UInt8>, maximumDigits: Int) -> Int? {
        guard !digits.isEmpty, digits.count <= maximumDigits, digits.count == 1 || digits.first != UInt8(ascii: "0")
        else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// Removes the entry `name` of the open directory `directory` if it is a stale temporary file (see the rule
    /// above); does nothing otherwise. Best effort: a failure (a read-only store, no permission) leaves it.
    ///
    /// - Parameters:
    ///   - name: A single path component.
    ///   - directory: A directory descriptor.
    /// - Returns: Whether the file was removed.
    @discardableResult
    public static func removeIfStale(_ name: String, in directory: Int32) -> Bool {
        guard let form = form(of: name) else { return false }
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return false
        }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        guard Int(modificationSeconds(info)) < Int(now.tv_sec) - minimumAge else { return false }
        switch form {
        case .process(let pid):
            guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { return false }
            return unlinkat(directory, name, 0) == 0
        case .locked:
            // O_NONBLOCK: an entry swapped for a FIFO after the check must not block the open.
            let file = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard file >= 0 else { return false }
            defer { close(file) }  // after the unlink: the lock is held until the name is gone
            var opened = stat()
            guard fstat(file, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG, opened.st_dev == info.st_dev,
                opened.st_ino == info.st_ino, flock(file, LOCK_EX | LOCK_NB) == 0
            else { return false }
            // The name still leads to the file just locked (not to one created since under the same name).
            var current = stat()
            guard fstatat(directory, name, &current, AT_SYMLINK_NOFOLLOW) == 0, current.st_dev == info.st_dev,
                current.st_ino == info.st_ino
            else { return false }
            return unlinkat(directory, name, 0) == 0
        }
    }

    private static func modificationSeconds(_ info: stat) -> time_t {
        #if canImport(Darwin)
            info.st_mtimespec.tv_sec
        #else
            info.st_mtim.tv_sec
        #endif
    }

    /// Removes the stale temporary files (see the rule above) of the directory at `path`, without following a
    /// symbolic link to it. Best effort: a directory that does not exist or cannot be listed is left alone.
    ///
    /// - Parameter path: A directory of this user's state (its leftovers are the hidden names only).
    /// - Returns: How many files were removed.
    @discardableResult
    public static func sweep(_ path: String) -> Int {
        let directory = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard directory >= 0 else { return 0 }
        defer { close(directory) }
        let listing = openat(directory, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0 else { return 0 }
        guard let stream = fdopendir(listing) else {
            close(listing)
            return 0
        }
        var candidates: [String] = []
        while let entry = readdir(stream) {
            let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.prefix { $0 != 0 }
                guard bytes.first == UInt8(ascii: "."), bytes.count > 2 else { return nil }
                let name = String(decoding: bytes, as: UTF8.self)
                return name.utf8.elementsEqual(bytes) ? name : nil
            }
            if let name, form(of: name) != nil { candidates.append(name) }
        }
        closedir(stream)
        return candidates.filter { removeIfStale($0, in: directory) }.count
    }
}
