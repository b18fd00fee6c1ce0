import Testing

@testable import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sets the access and modification times of `path` (not following a symbolic link) to `seconds` ago.
func age(_ path: String, by seconds: Int) {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var times = [
        timespec(tv_sec: now.tv_sec - seconds, tv_nsec: 0), timespec(tv_sec: now.tv_sec - seconds, tv_nsec: 0),
    ]
    precondition(utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0, "cannot set the times of \(path)")
}

/// A process id no process has: above the kernel's largest.
func deadPID() -> pid_t {
    let text = (try? FileSystem.read("/proc/sys/kernel/pid_max", limit: 64)).map { String(decoding: $0, as: UTF8.self) }
    let maximum = text.flatMap { Int32($0.filter(\.isNumber)) } ?? 99_999
    return maximum + 1
}

/// Leftovers of interrupted atomic writes: only our writers' exact names, only stale regular files whose writer is
/// gone, are removed (``StaleTemporary``).
@Suite struct StaleTemporaryTests {
    static let hex12 = "0123456789ab"

    @Test func namesOfOurWritersAndNothingElse() {
        #expect(StaleTemporary.form(of: ".a.json.tmp-\(Self.hex12)") == .locked)
        #expect(StaleTemporary.form(of: ".fold-ab.snapshot.tmp-4242-0") == .process(4242))
        #expect(StaleTemporary.form(of: ".x.tmp-1-101") == .process(1))
        #expect(StaleTemporary.form(of: ".a.tmp-b.tmp-\(Self.hex12)") == .locked)
        let lookAlikes = [
            "a.json.tmp-\(Self.hex12)",  // not hidden
            ".tmp-\(Self.hex12)",  // nothing written
            "..tmp-\(Self.hex12)",  // nothing written either
            ".a.json.tmp-0123456789AB",  // uppercase
            ".a.json.tmp-0123456789a",  // 11 digits
            ".a.json.tmp-0123456789abc",  // 13 digits
            ".a.json.tmp-0123456789ag",  // not hex
            ".a.json.tmp-",
            ".a.json.tmp_\(Self.hex12)",
            ".a.json.\(Self.hex12)",
            ".a.tmp-0-0",  // pid 0
            ".a.tmp-0123-0",  // leading zero
            ".a.tmp-123-00",
            ".a.tmp-123-12345",  // more attempts than a writer makes
            ".a.tmp-123",
            ".a.tmp-123-",
            ".a.tmp--123-0",
            ".a.tmp-+123-0",
            ".a.tmp-12345678901-0",  // beyond any pid
            ".a.tmp-123-0.json",
            ".a.tmp-123-0 ",
            ".a/b.tmp-123-0",
            ".a.tmp-\u{0661}23-0",  // an Arabic-Indic digit
            "",
            ".",
        ]
        for name in lookAlikes { #expect(StaleTemporary.form(of: name) == nil, "\(name)") }
    }

    @Test func staleFilesOfGoneWritersAreRemovedAndNothingElse() throws {
        let scratch = try Scratch()
        let outside = try Scratch()
        func make(_ name: String, old: Bool = true) throws {
            try FileSystem.writeFile([1, 2, 3], to: scratch.file(name), mode: 0o600, flush: false)
            if old { age(scratch.file(name), by: StaleTemporary.minimumAge + 60) }
        }
        let dead = deadPID()
        let removed = [".e.json.tmp-\(Self.hex12)", ".fold-ab.snapshot.tmp-\(dead)-0", ".k.tmp-\(dead)-3"]
        for name in removed { try make(name) }
        // Kept: too recent (by one minute), this process's, a live process's (pid 1), locked by its writer.
        try make(".fresh.json.tmp-\(Self.hex12)", old: false)
        try make(".recent.json.tmp-\(Self.hex12)")
        age(scratch.file(".recent.json.tmp-\(Self.hex12)"), by: StaleTemporary.minimumAge - 60)
        try make(".mine.tmp-\(getpid())-0")
        try make(".init.tmp-1-0")
        try make(".locked.json.tmp-\(Self.hex12)")
        let writer = open(scratch.file(".locked.json.tmp-\(Self.hex12)"), O_RDONLY | O_CLOEXEC)
        defer { close(writer) }
        #expect(flock(writer, LOCK_EX | LOCK_NB) == 0)
        // Kept: look-alike names, and entries of the right names that are not regular files.
        for name in ["e.json.tmp-\(Self.hex12)", ".e.json.tmp-0123456789", ".x.tmp-0\(dead)-0", "plain"] {
            try make(name)
        }
        let directoryName = ".dir.json.tmp-\(Self.hex12)"
        #expect(mkdir(scratch.file(directoryName), 0o700) == 0)
        age(scratch.file(directoryName), by: StaleTemporary.minimumAge + 60)
        try FileSystem.writeFile([7], to: outside.file("target"), mode: 0o600, flush: false)
        age(outside.file("target"), by: StaleTemporary.minimumAge + 60)
        let linkName = ".link.json.tmp-\(Self.hex12)"
        #expect(symlink(outside.file("target"), scratch.file(linkName)) == 0)
        age(scratch.file(linkName), by: StaleTemporary.minimumAge + 60)
        let fifoName = ".fifo.tmp-\(dead)-0"
        #expect(mkfifo(scratch.file(fifoName), 0o600) == 0)
        age(scratch.file(fifoName), by: StaleTemporary.minimumAge + 60)

        let before = try FileSystem.list(scratch.path)
        #expect(StaleTemporary.sweep(scratch.path) == removed.count)
        #expect(try FileSystem.list(scratch.path) == before.filter { !removed.contains($0) })
        #expect(try FileSystem.read(outside.file("target")) == [7])
        #expect(StaleTemporary.sweep(scratch.path) == 0)

        // Once its writer lets go, the locked file goes too.
        close(writer)
        #expect(StaleTemporary.sweep(scratch.path) == 1)
        #expect(!FileSystem.exists(scratch.file(".locked.json.tmp-\(Self.hex12)")))
    }

    @Test func aSymbolicLinkToTheDirectoryIsNotSwept() throws {
        let scratch = try Scratch()
        let real = scratch.file("real")
        try FileSystem.makeDirectory(real, mode: 0o700)
        let name = ".e.json.tmp-\(Self.hex12)"
        try FileSystem.writeFile([1], to: real + "/" + name, mode: 0o600, flush: false)
        age(real + "/" + name, by: StaleTemporary.minimumAge + 60)
        #expect(symlink(real, scratch.file("link")) == 0)
        #expect(StaleTemporary.sweep(scratch.file("link")) == 0)
        #expect(StaleTemporary.sweep(scratch.file("missing")) == 0)
        #expect(FileSystem.exists(real + "/" + name))
        #expect(StaleTemporary.sweep(real) == 1)
    }

    @Test func anAtomicFileInProgressIsKept() throws {
        let scratch = try Scratch()
        let file = try AtomicFile(path: scratch.file("state.json"), overwrite: true, mode: 0o600, hidden: true)
        try file.write([1, 2])
        age(file.temporaryPath, by: StaleTemporary.minimumAge + 60)
        #expect(StaleTemporary.sweep(scratch.path) == 0)  // its writer (this process) is alive
        try file.commit()
        #expect(try FileSystem.list(scratch.path) == ["state.json"])
    }
}
