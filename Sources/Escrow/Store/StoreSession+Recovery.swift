extension StoreSession {
    /// Brings the store back to a committed state after a crash; run under the lock before every command.
    ///
    /// - a last audit line without its newline, or one that is not even JSON, is a torn append: it is cut off;
    /// - a pending file whose hash the last record carries is the tail of a committed change: it replaces its target
    ///   (unless the target already has that content, in which case it is deleted);
    /// - any other pending file belongs to a change that never committed: it is deleted.
    ///
    /// - Returns: One note per action taken.
    /// - Throws: An I/O error, or a parse error if the last complete record is valid JSON but unreadable (e.g. written
    ///   by a newer escrow): recovery never deletes a record it merely does not understand.
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
        for directory in ["", StoreLayout.vaultsPath + "/"] {
            let names = try FileSystem.list(layout.path(directory.isEmpty ? "." : String(directory.dropLast())))
            for name in names {
                guard let target = StoreLayout.target(ofPending: directory + name) else { continue }
                let pendingPath = layout.path(directory + name)
                let contents = try FileSystem.read(pendingPath, limit: Int.max)
                let hash = HexBytes(AuditChain.hash(ofFile: contents))
                if let last, last.files.contains(where: { $0.path == target && $0.hash == hash }) {
                    let targetPath = layout.path(target)
                    let current = FileSystem.exists(targetPath) ? try FileSystem.read(targetPath, limit: Int.max) : nil
                    if current.map({ HexBytes(AuditChain.hash(ofFile: $0)) }) == hash {
                        try FileSystem.remove(pendingPath)
                    } else {
                        try DurableFile.rename(pendingPath, over: targetPath)
                        notes.append("completed the change of \(target) committed by audit record \(last.seq)")
                    }
                } else {
                    try FileSystem.remove(pendingPath)
                    notes.append("discarded an uncommitted change of \(target)")
                }
                try DurableFile.syncDirectory(FileSystem.directory(of: pendingPath))
            }
        }
        return notes
    }
}
