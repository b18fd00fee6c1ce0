/// The steps of a store commit, named so that tests can inject a crash after each one.
///
/// 1. ``pendingWritten``: the new file contents are in `.NAME.pending` files, flushed; nothing is committed yet.
/// 2. ``recordTorn``: (crash *during* step 2) half of the audit line is on disk.
/// 3. ``recordAppended``: the audit record (carrying the new files' hashes) is flushed: the change is committed.
/// 4. ``renamed``: the pending files replaced the old ones; the directories are not flushed yet.
enum CommitStep: Hashable, Sendable {
    case pendingWritten
    case recordTorn
    case recordAppended
    case renamed
}
