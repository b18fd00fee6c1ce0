extension StoreSession {
    /// Brings the store back to a committed state after a crash; run under the lock before every command.
    ///
    /// - a last audit line without its newline, or one that is not even JSON, is a torn append: it is cut off;
    /// - if the last record belongs to a batch (``AuditBatch``) whose records are not all there, the append of that
    ///   batch was torn: every record of the batch is cut off (the batch commits as a whole or not at all);
    /// - a pending file whose hash the last commit's records carry (the last record, or every record of the last
    ///   batch) is the tail of a committed change: it replaces its target (unless the target already has that
    ///   content, in which case it is deleted);
    /// - any other pending file belongs to a change that never committed: it is deleted.
    ///
    /// - Returns: One note per action taken.
    /// - Throws: An I/O error, or a parse error if a complete record is valid JSON but unreadable (e.g. written by a
    ///   newer escrow): recovery never deletes a record it merely does not understand.
    func recover() throws(EscrowError) -> [String] {
        var notes: [String] = []
        let log = auditLog
        var tail = try log.tail()
        if tail.completeSize < tail.size {
            try log.truncate(to: tail.completeSize)
            notes.append("removed a torn audit record (\(tail.size - tail.completeSize) bytes without a newline)")
            tail = try log.tail()
        }
        if let line = tail.lastLine, (try? JSONParser.parse(line, source: "audit.log")) == nil {
            try log.truncate(to: tail.lastLineOffset)
            notes.append("removed a torn audit record (an incomplete last line)")
            tail = try log.tail()
        }
        let last = try tail.lastLine.map { (line) throws(EscrowError) in try AuditRecord.parse(line, lineNumber: nil) }
        let pendingFiles = try self.pendingFiles()

        // What the last commit wrote: one record's files, or the files of every record of the last batch.
        var committed: [AuditRecord] = last.map { [$0] } ?? []
        if let last, let mark = try AuditBatch.of(last), !mark.isLast || !pendingFiles.isEmpty {
            let batch = try lastBatch(ending: last, mark: mark, end: tail.completeSize)
            if batch.isComplete {
                committed = batch.records
            } else {
                try log.truncate(to: batch.start)
                notes.append(
                    "removed \(batch.records.count) audit record\(batch.records.count == 1 ? "" : "s") of an incomplete batch (a torn write; the batch never committed)"
                )
                committed = []
            }
        }
        var committedBy: [String: (hash: HexBytes, seq: Int64)] = [:]
        for record in committed {
            for file in record.files { committedBy[file.path] = (file.hash, record.seq) }
        }
        var completed: [(target: String, seq: Int64)] = []
        var discarded: [String] = []
        for (pendingPath, target) in pendingFiles {
            let contents = try FileSystem.read(pendingPath, limit: Int.max)
            let hash = HexBytes(AuditChain.hash(ofFile: contents))
            if let commit = committedBy[target], commit.hash == hash {
                let targetPath = layout.path(target)
                let current = FileSystem.exists(targetPath) ? try FileSystem.read(targetPath, limit: Int.max) : nil
                if current.map({ HexBytes(AuditChain.hash(ofFile: $0)) }) == hash {
                    try FileSystem.remove(pendingPath)
                } else {
                    try DurableFile.rename(pendingPath, over: targetPath)
                    completed.append((target, commit.seq))
                }
            } else {
                try FileSystem.remove(pendingPath)
                discarded.append(target)
            }
        }
        // One note per file for a few, one summary for a batch (a re-split of thousands of vaults).
        if completed.count <= Self.recoveryNoteLimit {
            notes += completed.map { "completed the change of \($0.target) committed by audit record \($0.seq)" }
        } else {
            let seqs = completed.map(\.seq)
            notes.append(
                "completed the changes of \(completed.count) files committed by audit records \(seqs.min() ?? 0)–\(seqs.max() ?? 0)"
            )
        }
        if discarded.count <= Self.recoveryNoteLimit {
            notes += discarded.map { "discarded an uncommitted change of \($0)" }
        } else {
            notes.append("discarded the uncommitted changes of \(discarded.count) files")
        }
        for directory in Set(pendingFiles.map { FileSystem.directory(of: $0.path) }).sorted() {
            try DurableFile.syncDirectory(directory)
        }
        return notes
    }

    /// Above this many files, recovery notes summarise instead of naming each file.
    static let recoveryNoteLimit = 5

    /// Every pending file of the store: its absolute path and the store-relative path of its target.
    private func pendingFiles() throws(EscrowError) -> [(path: String, target: String)] {
        var found: [(path: String, target: String)] = []
        for directory in ["", StoreLayout.vaultsPath + "/"] {
            let names = try FileSystem.hiddenNames(
                in: layout.path(directory.isEmpty ? "." : String(directory.dropLast()))
            )
            for name in names {
                guard let target = StoreLayout.target(ofPending: directory + name) else { continue }
                found.append((layout.path(directory + name), target))
            }
        }
        return found
    }

    /// The records of the batch the last record belongs to, read backwards from the end of the log.
    struct LastBatch {
        /// The records found after the last record that precedes the batch, oldest first.
        var records: [AuditRecord]
        /// Where the batch starts in the log (the end of the record before it).
        var start: Int64
        /// Whether every record of the batch is there, in order and chained.
        var isComplete: Bool
    }

    /// Reads back from the end of the log to the record before the batch of `last` (whose sequence number is
    /// `last.seq - mark.index`) and checks the batch: `mark.size` records, one batch id, indices 1…n, chained.
    ///
    /// - Throws: ``EscrowError/Code/malformedFile`` when the log before the batch is not what a commit leaves (the
    ///   record before the batch is missing: then recovery refuses instead of guessing); parse errors of records
    ///   that are valid JSON.
    private func lastBatch(ending last: AuditRecord, mark: AuditBatch, end: Int64) throws(EscrowError) -> LastBatch {
        let boundarySeq = last.seq - Int64(mark.index)
        var region: [(line: [UInt8], record: AuditRecord?)] = []
        var start: Int64?
        var boundaryLine: [UInt8]?
        try auditLog.visitLinesBackwards(endingAt: end) { (line, offset) throws(EscrowError) -> Bool in
            // A line that is not JSON can only be debris of the torn append: it belongs to the batch region.
            guard (try? JSONParser.parse(line, source: "audit.log")) != nil else {
                region.append((line, nil))
                return true
            }
            let record = try AuditRecord.parse(line, lineNumber: nil)
            if record.seq <= boundarySeq {
                guard record.seq == boundarySeq else {
                    throw EscrowError(
                        .malformedFile,
                        "audit.log: record \(boundarySeq) before the last batch is missing; recovery cannot tell where the batch starts (restore the store from a backup)"
                    )
                }
                start = offset + Int64(line.count) + 1
                boundaryLine = line
                return false
            }
            region.append((line, record))
            return true
        }
        let batchStart: Int64
        if let start {
            batchStart = start
        } else if boundarySeq == 0 {
            batchStart = 0
        } else {
            throw EscrowError(
                .malformedFile,
                "audit.log: record \(boundarySeq) before the last batch is missing; recovery cannot tell where the batch starts (restore the store from a backup)"
            )
        }
        region.reverse()
        let records = region.compactMap(\.record)
        var complete = region.count == mark.size && records.count == mark.size
        var prev = boundaryLine.map(AuditChain.hash(ofLine:)) ?? AuditChain.genesis
        for (index, entry) in region.enumerated() where complete {
            guard let record = entry.record, let recordMark = try? AuditBatch.of(record),
                recordMark == AuditBatch(id: mark.id, index: index + 1, size: mark.size),
                record.seq == boundarySeq + Int64(index) + 1, record.prev.bytes == prev
            else {
                complete = false
                break
            }
            prev = AuditChain.hash(ofLine: entry.line)
        }
        return LastBatch(records: records, start: batchStart, isComplete: complete)
    }
}
