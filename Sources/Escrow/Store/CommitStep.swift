/// The steps of a store commit, named so that tests can inject a crash after each one.
///
/// 1. ``pendingWritten``: the new file contents are in `.NAME.pending` files, flushed; nothing is committed yet.
/// 2. ``recordTorn``: (crash *during* step 2) half of the bytes of the audit append are on disk — for a batch,
///    a cut in the middle of a record in the middle of the batch.
/// 3. ``recordTornAtLine``: (crash *during* step 2, batches) the first half of the batch's records are on disk,
///    complete lines, the rest missing.
/// 4. ``recordAppended``: the audit records (carrying the new files' hashes) are flushed: the change is committed.
/// 5. ``renamedPartly``: half of the pending files replaced their targets.
/// 6. ``renamed``: the pending files replaced the old ones; the directories are not flushed yet.
enum CommitStep: Hashable, Sendable {
    case pendingWritten
    case recordTorn
    case recordTornAtLine
    case recordAppended
    case renamedPartly
    case renamed
}
