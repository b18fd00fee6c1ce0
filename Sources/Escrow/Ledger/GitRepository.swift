internal import Platform

/// A store's git work tree, driven by running `git` (``ChildProcess``: `posix_spawnp` with an argument vector, never a
/// shell; arguments never hold a secret).
///
/// `git` runs as `git --literal-pathspecs -C <workTree> …` with the inherited environment plus ``environment``. The
/// store's root is the work tree's root: paths are relative to both. A sync is
/// ``fetch()``, then ``upstreamCommit()`` resolved **once** and passed to ``incomingChanges(from:)``,
/// ``readIncoming(path:from:)`` and ``merge(_:)``, so that what is merged is exactly what was checked; then
/// ``push()``. Errors name the git command and the first meaningful line git wrote to its standard error.
public struct GitRepository: Sendable {
    /// The work tree's path.
    public let workTree: String
    /// Variables set or replaced in the inherited environment of every `git` run (tests set the author and
    /// committer here).
    public let environment: [String: String]
    /// The largest blob ``readIncoming(path:from:)`` reads.
    public static let maximumBlobByteCount = Event.maximumByteCount

    private static let outputLimit = 256 << 20

    /// Wraps a work tree.
    ///
    /// - Parameters:
    ///   - workTree: The work tree's path.
    ///   - environment: Variables to set for `git` on top of the inherited environment.
    public init(workTree: String, environment: [String: String] = [:]) {
        self.workTree = workTree
        self.environment = environment
    }

    /// Whether `path` is inside a git work tree (`git rev-parse --is-inside-work-tree` says `true`).
    ///
    /// - Parameter path: A directory.
    /// - Returns: `false` also when git cannot be run.
    public static func isWorkTree(_ path: String) -> Bool {
        let repository = GitRepository(workTree: path)
        guard let result = try? repository.run(["rev-parse", "--is-inside-work-tree"]) else { return false }
        return result.status == 0 && String(decoding: result.output, as: UTF8.self) == "true\n"
    }

    // MARK: Running git

    private func run(_ arguments: [String], outputLimit: Int = outputLimit, input: [UInt8]? = nil)
        throws(EscrowError) -> ChildProcess.Result
    {
        do {
            return try ChildProcess.run(
                "git",
                ["--literal-pathspecs", "-C", workTree] + arguments,
                environment: environment,
                outputLimit: outputLimit,
                input: input
            )
        } catch {
            throw EscrowError(error)
        }
    }

    /// Runs git and requires success.
    @discardableResult
    private func git(_ arguments: [String], outputLimit: Int = outputLimit, input: [UInt8]? = nil)
        throws(EscrowError) -> [UInt8]
    {
        let result = try run(arguments, outputLimit: outputLimit, input: input)
        guard result.status == 0 else { throw failure(arguments, result) }
        guard !result.outputTruncated else {
            throw EscrowError(.malformedFile, "git \(arguments[0]) wrote more than \(outputLimit) bytes")
        }
        return result.output
    }

    private func gitText(_ arguments: [String]) throws(EscrowError) -> String {
        var text = String(decoding: try git(arguments), as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private func failure(_ arguments: [String], _ result: ChildProcess.Result, code: EscrowError.Code = .ioFailure)
        -> EscrowError
    {
        EscrowError(code, "git \(arguments[0]) failed in \(workTree): \(Self.firstLine(result.errorOutput))")
    }

    /// The first line of git's standard error that says what went wrong (`error:`, `fatal:`, ` ! [rejected]`,
    /// `CONFLICT`), else the first non-empty line; printable ASCII only, at most 200 characters.
    static func firstLine(_ errorOutput: [UInt8]) -> String {
        let lines = String(decoding: errorOutput, as: UTF8.self).split(whereSeparator: \.isNewline).map {
            $0.trimmingPrefix(while: { $0 == " " })
        }
        let telling = lines.first { line in ["error:", "fatal:", "! ", "CONFLICT"].contains { line.hasPrefix($0) } }
        guard let line = telling ?? lines.first(where: { !$0.isEmpty }) else { return "(git said nothing)" }
        let shown = line.unicodeScalars.prefix(200).map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "?" }
        return String(shown)
    }

    // MARK: Committing

    /// Commits `paths` (and nothing else): `git add -- paths`, then `git commit -m message`. Does nothing when the
    /// paths hold no change.
    ///
    /// - Parameters:
    ///   - paths: Paths relative to the work tree (event files, the marker).
    ///   - message: The commit message (no secret: it is an argument).
    /// - Returns: `true` if a commit was made.
    /// - Throws: ``EscrowError/Code/conflict`` if other changes are already staged (they would be committed too),
    ///   ``EscrowError/Code/invalidInput`` for an empty message or a path starting with `-` or `/`,
    ///   ``EscrowError/Code/ioFailure`` naming the failing git command.
    @discardableResult
    public func commit(paths: [String], message: String) throws(EscrowError) -> Bool {
        guard !message.isEmpty else { throw EscrowError(.invalidInput, "a commit needs a message") }
        for path in paths where path.isEmpty || path.hasPrefix("/") || path.hasPrefix("-") {
            throw EscrowError(.invalidInput, "cannot commit '\(path)': paths are relative to the store")
        }
        guard !paths.isEmpty else { return false }
        // Refuse before staging anything: a commit takes the whole index.
        let wanted = Set(paths)
        if let foreign = try stagedPaths().first(where: { !wanted.contains($0) }) {
            throw EscrowError(
                .conflict,
                "other changes are staged in \(workTree) (\(foreign)): commit or unstage them first"
            )
        }
        var start = 0
        while start < paths.count {
            let chunk = Array(paths[start..<min(start + 500, paths.count)])
            try git(["add", "--"] + chunk)
            start += chunk.count
        }
        guard try !stagedPaths().isEmpty else { return false }
        try git(["commit", "--quiet", "-m", message])
        return true
    }

    /// Takes `paths` out of the index again (after a failed commit), leaving the work tree alone; paths that are
    /// not staged are skipped.
    ///
    /// - Parameter paths: Paths relative to the work tree.
    /// - Throws: ``EscrowError/Code/ioFailure`` naming the failing git command.
    public func unstage(_ paths: [String]) throws(EscrowError) {
        for path in paths where path.isEmpty || path.hasPrefix("/") || path.hasPrefix("-") {
            throw EscrowError(.invalidInput, "cannot unstage '\(path)': paths are relative to the store")
        }
        var start = 0
        while start < paths.count {
            let chunk = Array(paths[start..<min(start + 500, paths.count)])
            try git(["rm", "--cached", "--quiet", "--ignore-unmatch", "--"] + chunk)
            start += chunk.count
        }
    }

    /// The files under `directory` that are not committed: untracked (a command was killed after writing them and
    /// before `git add`) or staged (killed between `git add` and `git commit`). Ignored files are left out.
    ///
    /// - Parameter directory: A directory relative to the work tree, e.g. `events`.
    /// - Returns: Paths relative to the work tree, sorted.
    /// - Throws: ``EscrowError/Code/ioFailure`` naming the failing git command.
    public func uncommittedPaths(under directory: String) throws(EscrowError) -> [String] {
        let untracked = try git(["ls-files", "--others", "--exclude-standard", "-z", "--", directory])
            .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let staged = try stagedPaths().filter { $0.hasPrefix(directory + "/") }
        return Set(untracked + staged).sorted()
    }

    private func stagedPaths() throws(EscrowError) -> [String] {
        try git(["diff", "--cached", "--name-only", "--no-renames", "-z"]).split(separator: 0).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    // MARK: Syncing

    private struct Upstream {
        var remote: String
        var branch: String
        var mergeRef: String
    }

    private func upstream() throws(EscrowError) -> Upstream {
        let head = try run(["symbolic-ref", "--quiet", "--short", "HEAD"])
        guard head.status == 0 else {
            throw EscrowError(.conflict, "\(workTree) is not on a branch (detached HEAD): check out the store's branch")
        }
        var branch = String(decoding: head.output, as: UTF8.self)
        while branch.hasSuffix("\n") { branch.removeLast() }
        let remote = try run(["config", "--get", "branch.\(branch).remote"])
        let merge = try run(["config", "--get", "branch.\(branch).merge"])
        guard remote.status == 0, merge.status == 0 else {
            let remotes = try gitText(["remote"])
            guard !remotes.isEmpty else {
                throw EscrowError(
                    .notFound,
                    "\(workTree) has no git remote to sync with: add one with 'git remote add origin <url>'"
                )
            }
            throw EscrowError(
                .notFound,
                "branch '\(branch)' of \(workTree) has no upstream: set one with "
                    + "'git push --set-upstream \(remotes.split(separator: "\n")[0]) \(branch)'"
            )
        }
        func trimmed(_ bytes: [UInt8]) -> String {
            var text = String(decoding: bytes, as: UTF8.self)
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
        let upstream = Upstream(remote: trimmed(remote.output), branch: branch, mergeRef: trimmed(merge.output))
        guard !upstream.remote.hasPrefix("-"), upstream.remote != ".", upstream.mergeRef.hasPrefix("refs/heads/") else {
            throw EscrowError(.invalidInput, "branch '\(branch)' of \(workTree) has an unusable upstream")
        }
        return upstream
    }

    private var hasHead: Bool {
        get throws(EscrowError) { try run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).status == 0 }
    }

    /// Fetches the upstream branch's remote.
    ///
    /// - Returns: Whether the upstream branch has commits that this branch lacks.
    /// - Throws: ``EscrowError/Code/notFound`` when there is no remote or no upstream (saying how to set one),
    ///   ``EscrowError/Code/ioFailure`` naming git's complaint.
    public func fetch() throws(EscrowError) -> Bool {
        let upstream = try upstream()
        try git(["fetch", "--quiet", "--no-tags", upstream.remote])
        guard let commit = try upstreamCommit() else { return false }
        guard try hasHead else { return true }
        let count = try gitText(["rev-list", "--count", "HEAD..\(commit)"])
        return count != "0"
    }

    /// The commit the upstream branch points to after the last fetch.
    ///
    /// - Returns: Its full hex id, or `nil` if the remote does not have the branch yet.
    /// - Throws: ``EscrowError/Code/notFound`` when there is no upstream.
    public func upstreamCommit() throws(EscrowError) -> String? {
        _ = try upstream()
        let result = try run(["rev-parse", "--verify", "--quiet", "@{upstream}^{commit}"])
        guard result.status == 0 else { return nil }
        var text = String(decoding: result.output, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private func resolve(_ commit: String?) throws(EscrowError) -> String? {
        guard let commit else { return try upstreamCommit() }
        guard [40, 64].contains(commit.utf8.count), Hex.decode(commit) != nil else {
            throw EscrowError(.invalidInput, "'\(Event.printable(commit))' is not a full git commit id")
        }
        return commit
    }

    /// The files that merging `commit` would bring: the changes between the merge base of `HEAD` and `commit`, and
    /// `commit` (everything in `commit` when this branch has no commit yet).
    ///
    /// - Parameter commit: The full id from ``upstreamCommit()``; `nil` to resolve it now.
    /// - Returns: The changes, in git's order (by path); empty if there is nothing to merge.
    /// - Throws: ``EscrowError/Code/conflict`` for unrelated histories, ``EscrowError/Code/malformedFile`` for a path
    ///   that is not UTF-8, ``EscrowError/Code/ioFailure``.
    public func incomingChanges(from commit: String? = nil) throws(EscrowError) -> [IncomingChange] {
        guard let commit = try resolve(commit) else { return [] }
        let base: String
        if try hasHead {
            let mergeBase = try run(["merge-base", "HEAD", commit])
            guard mergeBase.status == 0 else {
                throw EscrowError(
                    .conflict,
                    "the remote's history is unrelated to the history of \(workTree): it is not a copy of this store"
                )
            }
            base = String(decoding: mergeBase.output, as: UTF8.self).filter { !$0.isNewline }
        } else {
            base = try gitText(["hash-object", "-t", "tree", "--stdin"])  // the empty tree (standard input is empty)
        }
        let raw = try git(["diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-abbrev", base, commit])
        return try Self.parseRaw(raw)
    }

    /// Parses `git diff-tree --raw -z` output: `:old new oldBlob newBlob status NUL path NUL`, repeated.
    static func parseRaw(_ raw: [UInt8]) throws(EscrowError) -> [IncomingChange] {
        var fields = raw.split(separator: 0, omittingEmptySubsequences: false)[...]
        if fields.last?.isEmpty == true { fields.removeLast() }
        var changes: [IncomingChange] = []
        while let header = fields.popFirst() {
            guard header.first == UInt8(ascii: ":"), let pathBytes = fields.popFirst() else {
                throw EscrowError(.malformedFile, "git diff-tree wrote output this escrow does not understand")
            }
            let parts = String(decoding: header.dropFirst(), as: UTF8.self).split(separator: " ")
            guard parts.count == 5 else {
                throw EscrowError(.malformedFile, "git diff-tree wrote output this escrow does not understand")
            }
            let path = String(decoding: pathBytes, as: UTF8.self)
            guard path.utf8.elementsEqual(pathBytes) else {
                throw EscrowError(
                    .malformedFile,
                    "an incoming path is not UTF-8 ('\(Event.printable(path))'): it does not belong in a store"
                )
            }
            changes.append(
                IncomingChange(
                    status: IncomingChange.Status(String(parts[4].prefix(1))),
                    oldMode: IncomingChange.Mode(String(parts[0])),
                    newMode: IncomingChange.Mode(String(parts[1])),
                    path: path
                )
            )
        }
        return changes
    }

    /// Reads an incoming file's contents from `commit` (without touching the work tree).
    ///
    /// - Parameters:
    ///   - path: The path relative to the work tree's root.
    ///   - commit: The full id from ``upstreamCommit()``; `nil` to resolve it now.
    /// - Returns: The blob's bytes.
    /// - Throws: ``EscrowError/Code/notFound`` if `commit` has no such file, ``EscrowError/Code/malformedFile`` if it
    ///   is not a file or is larger than ``maximumBlobByteCount``, ``EscrowError/Code/ioFailure``.
    public func readIncoming(path: String, from commit: String? = nil) throws(EscrowError) -> [UInt8] {
        guard let commit = try resolve(commit) else {
            throw EscrowError(.notFound, "\(path): nothing was fetched")
        }
        let object = "\(commit):\(path)"
        let type = try run(["cat-file", "-t", object])
        guard type.status == 0 else { throw EscrowError(.notFound, "\(path) is not in the fetched commit") }
        guard String(decoding: type.output, as: UTF8.self) == "blob\n" else {
            throw EscrowError(.malformedFile, "\(path) in the fetched commit is not a file")
        }
        guard let size = Int(try gitText(["cat-file", "-s", object])), size <= Self.maximumBlobByteCount else {
            throw EscrowError(
                .malformedFile,
                "\(path) in the fetched commit is larger than \(Self.maximumBlobByteCount) bytes"
            )
        }
        let result = try run(["cat-file", "blob", object], outputLimit: Self.maximumBlobByteCount)
        guard result.status == 0, !result.outputTruncated else {
            if result.outputTruncated {
                throw EscrowError(
                    .malformedFile,
                    "\(path) in the fetched commit is larger than \(Self.maximumBlobByteCount) bytes"
                )
            }
            throw failure(["cat-file"], result)
        }
        return result.output
    }

    /// Reads many incoming files' contents from `commit` (without touching the work tree) with two git processes
    /// in all: `git cat-file --batch-check` (types and sizes, checked before anything is read), then
    /// `git cat-file --batch` for the contents (one more process per 256 MiB of contents).
    ///
    /// - Parameters:
    ///   - paths: Paths relative to the work tree's root (no newline: the batch is one object name per line).
    ///   - commit: The full id from ``upstreamCommit()``.
    /// - Returns: The blobs' bytes, in the order of `paths`.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a path holding a newline, ``EscrowError/Code/notFound`` if
    ///   `commit` has no such file, ``EscrowError/Code/malformedFile`` if one is not a file or is larger than
    ///   ``maximumBlobByteCount`` (each naming the path), ``EscrowError/Code/ioFailure``.
    /// - Complexity: Two git processes for any number of paths (and contents up to 256 MiB).
    public func readIncoming(paths: [String], from commit: String) throws(EscrowError) -> [[UInt8]] {
        guard !paths.isEmpty else { return [] }
        guard let commit = try resolve(commit) else { throw EscrowError(.notFound, "nothing was fetched") }
        for path in paths where path.contains(where: \.isNewline) || path.isEmpty {
            throw EscrowError(.invalidInput, "'\(Event.printable(path))' cannot be read from git: not a store path")
        }
        let objects = paths.map { "\(commit):\($0)" }
        let checked = try git(
            ["cat-file", "--batch-check=%(objecttype) %(objectsize)"],
            input: Array(objects.map { $0 + "\n" }.joined().utf8)
        )
        var sizes: [Int] = []
        sizes.reserveCapacity(paths.count)
        var lines = checked.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
        for path in paths {
            guard let line = lines.popFirst() else {
                throw EscrowError(.malformedFile, "git cat-file wrote output this escrow does not understand")
            }
            let fields = String(decoding: line, as: UTF8.self).split(separator: " ")
            guard fields.count == 2, fields[0] != "missing", fields[1] != "missing" else {
                throw EscrowError(.notFound, "\(path) is not in the fetched commit")
            }
            guard fields[0] == "blob" else {
                throw EscrowError(.malformedFile, "\(path) in the fetched commit is not a file")
            }
            guard let size = Int(fields[1]), size >= 0, size <= Self.maximumBlobByteCount else {
                throw EscrowError(
                    .malformedFile,
                    "\(path) in the fetched commit is larger than \(Self.maximumBlobByteCount) bytes"
                )
            }
            sizes.append(size)
        }
        var contents: [[UInt8]] = []
        contents.reserveCapacity(paths.count)
        var start = 0
        while start < paths.count {
            // At least one object per run; at most 256 MiB of contents otherwise.
            var end = start + 1
            var total = sizes[start]
            while end < paths.count, total + sizes[end] <= Self.batchByteCount {
                total += sizes[end]
                end += 1
            }
            contents += try readBatch(
                Array(objects[start..<end]),
                paths: Array(paths[start..<end]),
                sizes: sizes[start..<end]
            )
            start = end
        }
        return contents
    }

    /// The most blob contents one `git cat-file --batch` run reads (256 MiB).
    private static let batchByteCount = 256 << 20

    /// Reads objects whose types and sizes were checked, with one `git cat-file --batch`, checking that git reports
    /// the same blob and size again (the object names are resolved once more).
    private func readBatch(_ objects: [String], paths: [String], sizes: ArraySlice<Int>) throws(EscrowError)
        -> [[UInt8]]
    {
        let expected = sizes.reduce(0) { $0 + $1 + 100 }
        let output = try git(
            ["cat-file", "--batch=%(objecttype) %(objectsize)"],
            outputLimit: expected,
            input: Array(objects.map { $0 + "\n" }.joined().utf8)
        )
        var contents: [[UInt8]] = []
        contents.reserveCapacity(objects.count)
        var offset = 0
        for (path, size) in zip(paths, sizes) {
            guard let newline = output[offset...].firstIndex(of: UInt8(ascii: "\n")),
                String(decoding: output[offset..<newline], as: UTF8.self) == "blob \(size)",
                newline + 1 + size < output.count, output[newline + 1 + size] == UInt8(ascii: "\n")
            else {
                throw EscrowError(.malformedFile, "git cat-file wrote unexpected output for \(path)")
            }
            contents.append(Array(output[(newline + 1)..<(newline + 1 + size)]))
            offset = newline + 2 + size
        }
        return contents
    }

    /// Merges `commit` into the current branch (`git merge --no-edit`). Events never collide, so a conflict means the
    /// store holds something else: the merge is aborted and reported.
    ///
    /// - Parameter commit: The full id from ``upstreamCommit()`` (the one whose changes were checked); `nil` to
    ///   resolve it now.
    /// - Throws: ``EscrowError/Code/conflict`` if the merge failed (it was aborted: nothing changed),
    ///   ``EscrowError/Code/ioFailure``.
    public func merge(_ commit: String? = nil) throws(EscrowError) {
        guard let commit = try resolve(commit) else { return }
        let arguments = ["merge", "--quiet", "--no-edit", "--no-stat", commit]
        let result = try run(arguments)
        guard result.status == 0 else {
            _ = try? run(["merge", "--abort"])
            let reason = Self.firstLine(result.errorOutput.isEmpty ? result.output : result.errorOutput)
            throw EscrowError(.conflict, "git merge failed in \(workTree): \(reason); the merge was aborted")
        }
    }

    /// Pushes the current branch to its upstream.
    ///
    /// - Throws: ``EscrowError/Code/notFound`` when there is no upstream, ``EscrowError/Code/conflict`` when the
    ///   remote moved on meanwhile (sync again), ``EscrowError/Code/ioFailure``.
    public func push() throws(EscrowError) {
        let upstream = try upstream()
        let arguments = ["push", "--quiet", "--porcelain", upstream.remote, "HEAD:\(upstream.mergeRef)"]
        let result = try run(arguments)
        guard result.status == 0 else {
            let rejected = String(decoding: result.output, as: UTF8.self).contains("[rejected]")
            throw failure(arguments, result, code: rejected ? .conflict : .ioFailure)
        }
    }
}
