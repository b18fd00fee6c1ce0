import EscrowFuzzTargets
import Foundation
import ShamirFuzzTargets
import Testing

/// The CI smoke of every fuzz target (issue #13): each checked-in seed and regression input under `Fuzz/seeds/<target>`
/// runs through the same target code as the libFuzzer executables, then a fixed number of mutants of them (bit
/// flips, byte edits, inserts, deletes, splices; a seeded generator, so every run is the same). A violated property
/// traps, which fails the run. Coverage-guided fuzzing needs the sanitizer build of `Fuzz/` (`Fuzz/run.sh`, minutes of
/// build): this smoke only proves that every target still runs and that no regression came back.
@Suite("fuzz targets: seeds, regressions and mutants")
struct FuzzSmokeTests {
    /// The repository's `Fuzz/seeds` directory.
    static let seedsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/seeds").path

    /// Mutants per target: the slow targets (Ed25519 signing of a whole DAG, guarded memory per SLIP-39 word) fewer.
    static func mutantCount(_ target: String) -> Int {
        switch target {
        case "fold": return 40
        case "slip39-share", "slip39-combine": return 100
        case "event-mutation", "event": return 800
        default: return 3_000
        }
    }

    /// The checked-in inputs of a target: `(file name, bytes)`, sorted by name.
    static func checkedIn(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = "\(seedsDirectory)/\(target)"
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            (name, [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))))
        }
    }

    @Test(arguments: EscrowFuzzTargets.names)
    func escrowTarget(_ target: String) throws {
        let index = try #require(EscrowFuzzTargets.names.firstIndex(of: target))
        let inputs = try Self.checkedIn(target)
        #expect(inputs.contains { $0.name.hasPrefix("seed-") }, "no seed for \(target)")
        for input in inputs { EscrowFuzzTargets.run(input.bytes, fixed: index) }
        let generated = EscrowFuzzTargets.seeds(target)
        #expect(!generated.isEmpty)
        for bytes in generated { EscrowFuzzTargets.run(bytes, fixed: index) }
        var mutator = Mutator(seed: UInt64(index + 1), corpus: inputs.map(\.bytes) + generated)
        for _ in 0..<Self.mutantCount(target) { EscrowFuzzTargets.run(mutator.next(), fixed: index) }
    }

    @Test func shamirTargets() throws {
        let inputs = try Self.checkedIn("shamir")
        #expect(inputs.count >= 2)
        #expect(inputs.contains { $0.name.hasPrefix("regression-") })
        for input in inputs { ShamirFuzzTargets.run(input.bytes) }
        // Every target in turn: the selector byte is kept modulo 6 by the mutator's first-byte rule.
        var mutator = Mutator(seed: 99, corpus: inputs.map(\.bytes))
        for round in 0..<6_000 {
            var bytes = mutator.next()
            bytes[0] = UInt8(round % ShamirFuzzTargets.names.count)
            ShamirFuzzTargets.run(bytes)
        }
    }

    @Test func mutatorIsDeterministicAndEdits() {
        var first = Mutator(seed: 7, corpus: [Array("hello fuzz".utf8)])
        var second = Mutator(seed: 7, corpus: [Array("hello fuzz".utf8)])
        let a = (0..<50).map { _ in first.next() }
        let b = (0..<50).map { _ in second.next() }
        #expect(a == b)
        #expect(a.contains { $0 != Array("hello fuzz".utf8) })
        #expect(a.allSatisfy { !$0.isEmpty && $0[0] == UInt8(ascii: "h") })  // the selector byte is kept
    }
}

/// A small deterministic mutator (SplitMix64): 1–8 edits of a corpus input, keeping its first (selector) byte.
struct Mutator {
    private var state: UInt64
    private let corpus: [[UInt8]]

    init(seed: UInt64, corpus: [[UInt8]]) {
        state = seed
        self.corpus = corpus.filter { !$0.isEmpty }
    }

    private mutating func random(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
    }

    mutating func next() -> [UInt8] {
        var bytes = corpus.isEmpty ? [0] : corpus[random(corpus.count)]
        for _ in 0...random(8) {
            let position = 1 + random(max(bytes.count - 1, 1))
            switch random(6) {
            case 0 where position < bytes.count: bytes[position] ^= UInt8(1 << random(8))
            case 1 where position < bytes.count: bytes[position] = UInt8(random(256))
            case 2: bytes.insert(UInt8(random(256)), at: min(position, bytes.count))
            case 3 where position < bytes.count: bytes.remove(at: position)
            case 4 where position < bytes.count:
                let length = min(1 + random(16), bytes.count - position)
                bytes.insert(contentsOf: bytes[position..<(position + length)], at: position)
            case 5:
                let other = corpus.isEmpty ? [] : corpus[random(corpus.count)]
                if other.count > 1 {
                    let start = 1 + random(other.count - 1)
                    bytes = Array(bytes.prefix(min(position, bytes.count))) + other[start...]
                }
            default: break
            }
        }
        return bytes
    }
}
