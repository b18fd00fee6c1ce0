import Glibc

/// What the two-hex-digit directories under `events/` looked like just before a command listed them, kept in the fold
/// snapshot so that the next warm open lists only the directories that changed since (a store of 100,000 events
/// spends most of a warm open listing them otherwise).
///
/// **Why an unchanged stamp means an unchanged listing.** Adding, removing or renaming an entry changes its
/// directory's change time (ctime), and no process can set a ctime back: setting the times (`utimensat`) sets the
/// change time to now. A stamp also holds the directory's device and inode (a directory replaced by another has a
/// new one) and its modification time. Change times come from a coarse clock, so an entry added in the same tick as
/// the stamp could leave it unchanged: a stamp is trusted only if its change time is ``margin`` older than when the
/// stamp was taken. Only this user's own process writes the snapshot holding the stamps (see ``FoldSnapshot``).
///
/// On a file system that caches attributes (NFS), a directory's change may be seen late: the command then misses
/// events added there, as if the store had not been synced yet; events it had seen are never missed.
struct DirectoryStamps: Sendable, Equatable {
    /// One directory's identity and times.
    struct Stamp: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
        /// The change time, in nanoseconds since 1970.
        var changed: Int64
        /// The modification time, in nanoseconds since 1970.
        var modified: Int64

        /// The stamp of a directory's `stat`.
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            changed = Int64(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_ctim.tv_nsec)
            modified = Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec)
        }

        /// A stamp of the given values (for snapshots).
        init(device: UInt64, inode: UInt64, changed: Int64, modified: Int64) {
            self.device = device
            self.inode = inode
            self.changed = changed
            self.modified = modified
        }
    }

    /// How much older than the stamps a directory's change time must be for its stamp to be trusted: two seconds.
    static let margin: Int64 = 2_000_000_000

    /// When the stamps were taken (before the listing), in nanoseconds since 1970.
    var takenAt: Int64
    /// The stamps by directory name (two hex digits).
    var stamps: [String: Stamp]

    /// The current time, in nanoseconds since 1970.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }

    /// Whether the directory `prefix`, whose stamp is now `current`, holds exactly what it held when these stamps
    /// were taken.
    func isUnchanged(_ prefix: String, current: Stamp) -> Bool {
        guard let stamp = stamps[prefix], stamp == current else { return false }
        return stamp.changed < takenAt - Self.margin && stamp.modified < takenAt - Self.margin
    }
}
