/// The directory stamps' part of a ``FoldSnapshot``: a flag, then the time they were taken and each directory's
/// name, device, inode, change and modification times, sorted by name.
extension SnapshotWriter {
    /// Writes `stamps`.
    mutating func stamps(_ stamps: DirectoryStamps?) {
        bool(stamps != nil)
        guard let stamps else { return }
        int64(stamps.takenAt)
        let sorted = stamps.stamps.sorted { $0.key < $1.key }
        count(sorted.count)
        for (prefix, stamp) in sorted {
            string(prefix)
            int64(Int64(bitPattern: stamp.device))
            int64(Int64(bitPattern: stamp.inode))
            int64(stamp.changed)
            int64(stamp.modified)
        }
    }
}

extension SnapshotReader {
    /// Reads stamps written by ``SnapshotWriter/stamps(_:)``.
    mutating func stamps() throws(EscrowError) -> DirectoryStamps? {
        guard try bool() else { return nil }
        let takenAt = try int64()
        var stamps: [String: DirectoryStamps.Stamp] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 33)) {
            let prefix = try string()
            stamps[prefix] = DirectoryStamps.Stamp(
                device: UInt64(bitPattern: try int64()),
                inode: UInt64(bitPattern: try int64()),
                changed: try int64(),
                modified: try int64()
            )
        }
        return DirectoryStamps(takenAt: takenAt, stamps: stamps)
    }
}
