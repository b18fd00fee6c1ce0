import Sodium
import Testing

@testable import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fresh private directory, removed when the test ends.
final class Scratch {
    let path: String
    init() throws { path = try FileSystem.makeTemporaryDirectory(prefix: "platform-tests-") }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileSystem.removeTree(path) }
}

@Suite struct FileTests {
    @Test func atomicFileCommitsWholeAndDiscardsLeaveNothing() throws {
        let scratch = try Scratch()
        let target = scratch.file("out")
        let file = try AtomicFile(path: target)
        try file.write(Array("hello ".utf8))
        try Array("world".utf8).withUnsafeBytes { try file.write($0) }
        #expect(!FileSystem.exists(target), "nothing under the final name before the commit")
        try file.commit()
        #expect(try FileSystem.read(target) == Array("hello world".utf8))
        #expect(try FileSystem.list(scratch.path) == ["out"])

        let refused = #expect(throws: PlatformError.self) { _ = try AtomicFile(path: target) }
        #expect(refused?.code == .alreadyExists)

        let discarded = try AtomicFile(path: target, overwrite: true, hidden: true)
        #expect(discarded.temporaryPath.hasPrefix(scratch.path + "/.out.tmp-"))
        try discarded.write([1, 2, 3])
        discarded.discard()
        #expect(try FileSystem.list(scratch.path) == ["out"])
        #expect(try FileSystem.read(target) == Array("hello world".utf8))

        try AtomicFile.write([9], to: target, mode: 0o600)
        #expect(try FileSystem.read(target) == [9])
        #expect(try FileSystem.hiddenNames(in: scratch.path).isEmpty)
    }

    @Test func headersWrittenAtAnOffsetAndGatheredWrites() throws {
        let scratch = try Scratch()
        let file = try AtomicFile(path: scratch.file("f"))
        try [UInt8](repeating: 0, count: 4).withUnsafeBytes { try file.write($0) }
        try [UInt8]([5, 6]).withUnsafeBytes { first in
            try [UInt8]([7]).withUnsafeBytes { second in try file.write(first, second) }
        }
        try [UInt8]([1, 2]).withUnsafeBytes { try file.write($0, at: 1) }
        try file.commit(durably: false)
        #expect(try FileSystem.read(scratch.file("f")) == [0, 1, 2, 0, 5, 6, 7])
    }

    @Test func readsHonourLimitsAndNameThePath() throws {
        let scratch = try Scratch()
        try FileSystem.writeFile(Array(repeating: 7, count: 100), to: scratch.file("a"))
        #expect(try FileSystem.read(scratch.file("a"), limit: 100).count == 100)
        let large = #expect(throws: PlatformError.self) { _ = try FileSystem.read(scratch.file("a"), limit: 99) }
        #expect(large?.code == .tooLarge)
        let secret = try FileSystem.readSecret(path: scratch.file("a"), limit: 100)
        #expect(secret.count == 100)
        #expect(throws: PlatformError.self) { _ = try FileSystem.readSecret(path: scratch.file("a"), limit: 10) }
        let buffer = try FileSystem.readAll(path: scratch.file("a"))
        #expect(buffer.count == 100)
        #expect(buffer.withBytes { $0.allSatisfy { $0 == 7 } })

        let missing = #expect(throws: PlatformError.self) { _ = try FileSystem.read(scratch.file("none")) }
        #expect(missing?.code == .notFound)
        #expect(missing?.message.hasPrefix("cannot open \(scratch.file("none")): ") == true)

        let fd = try FileDescriptorIO.openForReading(scratch.file("a"))
        defer { close(fd) }
        #expect(try FileDescriptorIO.read(fd, at: 95, count: 10, name: "a") == [7, 7, 7, 7, 7])
        #expect(FileDescriptorIO.regularFileSize(fd) == 100)
        #expect(FileDescriptorIO.stamp(fd) == FileDescriptorIO.stamp(fd))
    }

    @Test func directories() throws {
        let scratch = try Scratch()
        try FileSystem.makeDirectory(scratch.file("d"))
        #expect(FileSystem.isDirectory(scratch.file("d")))
        let again = #expect(throws: PlatformError.self) { try FileSystem.makeDirectory(scratch.file("d")) }
        #expect(again?.code == .alreadyExists)
        try FileSystem.writeFile([1], to: scratch.file("d/.hidden"), flush: false)
        try FileSystem.writeFile([1], to: scratch.file("d/shown"), exclusive: true)
        #expect(try FileSystem.hiddenNames(in: scratch.file("d")) == [".hidden"])
        #expect(try FileSystem.list(scratch.file("d")) == [".hidden", "shown"])
        try FileSystem.rename(scratch.file("d/shown"), over: scratch.file("d/moved"))
        try FileSystem.syncDirectory(scratch.file("d"))
        try FileSystem.remove(scratch.file("d/moved"))
        try FileSystem.remove(scratch.file("d/moved"))  // a missing file is not an error
        #expect(FileSystem.directory(of: "a/b/c") == "a/b")
        #expect(FileSystem.directory(of: "/c") == "/")
        #expect(FileSystem.directory(of: "c") == ".")
    }
}

extension FileTests {
    @Test func commitWithoutReplacingNeverOverwritesAFileThatAppeared() throws {
        let scratch = try Scratch()
        let target = scratch.file("change.json")
        let file = try AtomicFile(path: target, overwrite: false, mode: 0o644)
        try file.write([1, 2, 3])
        try FileSystem.writeFile([9], to: target, mode: 0o644, exclusive: true)  // another process, meanwhile
        let refused = #expect(throws: PlatformError.self) { try file.commitWithoutReplacing() }
        #expect(refused?.code == .alreadyExists)
        #expect(try FileSystem.read(target) == [9])
        #expect(try FileSystem.list(scratch.path) == ["change.json"])

        let fresh = try AtomicFile(path: scratch.file("endorsement"), overwrite: false, mode: 0o644)
        try fresh.write([4, 5])
        try fresh.commitWithoutReplacing()
        #expect(try FileSystem.read(scratch.file("endorsement")) == [4, 5])
        #expect(try FileSystem.list(scratch.path) == ["change.json", "endorsement"])
    }
}
