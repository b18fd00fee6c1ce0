import Foundation
import Sodium
import Testing

@testable import Escrow

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = try FileSystem.makeTemporaryDirectory(prefix: "escrow-tests-")
    }

    deinit { try? FileSystem.removeTree(path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }
}

/// A deterministic random source for byte-exact splits.
func deterministicRandom(_ seed: UInt8 = 7) throws -> StreamRandom {
    try StreamRandom(seed: SecureBytes(copying: [UInt8](repeating: seed, count: 32)))
}

/// A clock that advances one second per reading, from a fixed start.
func steppingClock(start: Int64 = 1_750_000_000) -> EscrowClock {
    let counter = Counter(start)
    return EscrowClock { UTCTime(secondsSinceEpoch: counter.next()) }
}

final class Counter: @unchecked Sendable {
    private var value: Int64
    private let lock = NSLock()
    init(_ start: Int64) { value = start }
    func next() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

func secure(_ text: String) -> SecureBytes { SecureBytes(copying: Array(text.utf8)) }

func string(_ bytes: SecureBytes) -> String { bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

func identity(_ name: String) throws -> CustodianIdentity {
    try CustodianIdentity(name: name, email: "\(name)@example.com")
}

/// Every file under `root` (relative path → bytes), for byte-for-byte comparisons.
func snapshot(_ root: String) throws -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    func walk(_ relative: String) throws {
        let absolute = relative.isEmpty ? root : "\(root)/\(relative)"
        if FileSystem.isDirectory(absolute) {
            for name in try FileSystem.list(absolute) { try walk(relative.isEmpty ? name : "\(relative)/\(name)") }
        } else {
            result[relative] = try FileSystem.read(absolute)
        }
    }
    try walk("")
    return result
}

func writeFile(_ path: String, _ text: String) throws {
    try DurableFile.write(Array(text.utf8), to: path)
}

func readText(_ path: String) throws -> String {
    String(decoding: try FileSystem.read(path), as: UTF8.self)
}

/// Asserts that `body` throws an `EscrowError` with `code`; returns the error for message checks.
@discardableResult
func expectEscrowError(
    _ code: EscrowError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> EscrowError? {
    do {
        try body()
        Issue.record("expected EscrowError \(code), nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as EscrowError {
        #expect(error.code == code, "got \(error.code): \(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected EscrowError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
