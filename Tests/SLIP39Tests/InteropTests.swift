import Foundation
import Shamir
import Sodium
import Testing

@testable import SLIP39

/// Interoperability both ways with the reference implementation, `shamir-mnemonic` (PyPI), when a Python with it
/// is available (`pip install shamir-mnemonic`; override the interpreter with `SLIP39_INTEROP_PYTHON`). Without it
/// the suite is skipped, and the run says so.
@Suite(.enabled(if: ReferenceImplementation.isAvailable, "shamir-mnemonic (Python) is not installed: interop skipped"))
struct InteropTests {
    /// The same deterministic byte stream on both sides, so that splits can be compared word for word:
    /// a 31-bit LCG (glibc constants), one output byte per step (bits 16...23), state kept across calls.
    struct LCGRandom: RandomSource {
        var state: UInt32
        mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
            for i in 0..<buffer.count {
                state = (state &* 1_103_515_245 &+ 12_345) & 0x7FFF_FFFF
                buffer[i] = UInt8(truncatingIfNeeded: state >> 16)
            }
        }
    }

    struct Case {
        var secret: [UInt8]
        var passphrase: String
        var groupThreshold: Int
        var groups: [SLIP39.Group]
        var extendable: Bool
        var exponent: Int

        var request: [String: Any] {
            [
                "secret_hex": Hex.encode(secret), "passphrase": passphrase, "group_threshold": groupThreshold,
                "groups": groups.map { [$0.memberThreshold, $0.memberCount] }, "extendable": extendable,
                "exponent": exponent,
            ]
        }
    }

    static func randomCases(seed: UInt64, count: Int) -> [Case] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let groupCount = Int.random(in: 1...3, using: &rng)
            let groups = (0..<groupCount).map { _ -> SLIP39.Group in
                let count = Int.random(in: 1...4, using: &rng)
                return SLIP39.Group(
                    memberThreshold: count == 1 ? 1 : Int.random(in: 2...count, using: &rng),
                    memberCount: count
                )
            }
            let letters = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~!@#$%^&*()")
            return Case(
                secret: (0..<[16, 20, 32][index % 3]).map { _ in UInt8.random(in: 0...255, using: &rng) },
                passphrase: index % 2 == 0
                    ? ""
                    : String(
                        (0..<Int.random(in: 1...12, using: &rng)).map { _ in letters.randomElement(using: &rng) ?? "x" }
                    ),
                groupThreshold: Int.random(in: 1...groupCount, using: &rng),
                groups: groups,
                extendable: index % 3 != 2,
                exponent: index % 2
            )
        }
    }

    /// A qualifying subset: the first `groupThreshold` groups of a shuffled order, the threshold of each.
    static func qualifyingSubset(_ groups: [[String]], of testCase: Case, using rng: inout SplitMix64) -> [String] {
        var chosen: [String] = []
        for groupIndex in groups.indices.shuffled(using: &rng).prefix(testCase.groupThreshold) {
            chosen += groups[groupIndex].shuffled(using: &rng).prefix(testCase.groups[groupIndex].memberThreshold)
        }
        return chosen.shuffled(using: &rng)
    }

    @Test func referenceMnemonicsRecoverHere() throws {
        let cases = Self.randomCases(seed: 39, count: 8)
        let replies = try ReferenceImplementation.run(cases.map { $0.request.merging(["op": "generate"]) { $1 } })
        var rng = SplitMix64(seed: 40)
        for (testCase, reply) in zip(cases, replies) {
            let groups = try #require(reply["mnemonics"] as? [[String]], "\(reply)")
            let subset = Self.qualifyingSubset(groups, of: testCase, using: &rng)
            let secret = try combineMnemonics(subset, passphrase: testCase.passphrase).get()
            #expect(secret.bytes == testCase.secret)
        }
    }

    @Test func ourMnemonicsRecoverThere() throws {
        let cases = Self.randomCases(seed: 41, count: 8)
        var rng = SplitMix64(seed: 42)
        var requests: [[String: Any]] = []
        for testCase in cases {
            let groups = try SLIP39.split(
                SecureBytes(copying: testCase.secret),
                groupThreshold: testCase.groupThreshold,
                groups: testCase.groups,
                passphrase: .ascii(testCase.passphrase),
                iterationExponent: testCase.exponent,
                extendable: testCase.extendable,
                using: &rng
            )
            let mnemonics = groups.map { $0.map(\.mnemonicText) }
            requests.append([
                "op": "combine", "mnemonics": Self.qualifyingSubset(mnemonics, of: testCase, using: &rng),
                "passphrase": testCase.passphrase,
            ])
        }
        let replies = try ReferenceImplementation.run(requests)
        for (testCase, reply) in zip(cases, replies) {
            #expect(reply["secret_hex"] as? String == Hex.encode(testCase.secret), "\(reply)")
        }
    }

    @Test func sameRandomnessGivesTheSameMnemonicsWordForWord() throws {
        let cases = Self.randomCases(seed: 43, count: 6)
        let replies = try ReferenceImplementation.run(
            cases.enumerated().map { index, testCase in
                testCase.request.merging(["op": "generate", "lcg_seed": 1000 + index]) { $1 }
            }
        )
        for (index, (testCase, reply)) in zip(cases, replies).enumerated() {
            var random = LCGRandom(state: UInt32(1000 + index))
            let ours = try SLIP39.split(
                SecureBytes(copying: testCase.secret),
                groupThreshold: testCase.groupThreshold,
                groups: testCase.groups,
                passphrase: .ascii(testCase.passphrase),
                iterationExponent: testCase.exponent,
                extendable: testCase.extendable,
                using: &random
            )
            #expect(ours.map { $0.map(\.mnemonicText) } == reply["mnemonics"] as? [[String]])
        }
    }

    @Test func bothRefuseTheSameDamagedSets() throws {
        let cases = Self.randomCases(seed: 44, count: 4).filter { $0.groups.contains { $0.memberThreshold > 1 } }
        var rng = SplitMix64(seed: 45)
        var sets: [[String]] = []
        for testCase in cases {
            let groups = try SLIP39.split(
                SecureBytes(copying: testCase.secret),
                groupThreshold: testCase.groupThreshold,
                groups: testCase.groups,
                iterationExponent: 0,
                extendable: testCase.extendable,
                using: &rng
            )
            var subset = Self.qualifyingSubset(groups.map { $0.map(\.mnemonicText) }, of: testCase, using: &rng)
            // One word replaced by its neighbour in the list: the checksum must catch it on both sides.
            var words = subset[0].split(separator: " ").map(String.init)
            let position = Int(rng.next() % UInt64(words.count))
            let index = try #require(SLIP39.Wordlist.index(of: words[position]))
            words[position] = SLIP39.Wordlist.words[(index + 1) % 1024]
            subset[0] = words.joined(separator: " ")
            sets.append(subset)
            // And one share dropped: a wrong count on both sides.
            sets.append(Array(subset.dropFirst()))
        }
        let replies = try ReferenceImplementation.run(
            sets.map { ["op": "combine", "mnemonics": $0, "passphrase": ""] }
        )
        for (set, reply) in zip(sets, replies) {
            #expect(reply["error"] != nil, "the reference accepted a damaged set")
            if case .success = combineMnemonics(set, passphrase: "") { Issue.record("we accepted a damaged set") }
        }
    }
}

/// Runs the reference implementation in a child Python process; requests and replies are JSON on stdin/stdout.
enum ReferenceImplementation {
    static let python = ProcessInfo.processInfo.environment["SLIP39_INTEROP_PYTHON"] ?? "python3"

    static let script = """
        import json, sys
        from shamir_mnemonic import shamir
        from shamir_mnemonic.utils import MnemonicError

        def lcg(seed):
            state = [seed]
            def random_bytes(n):
                out = bytearray()
                for _ in range(n):
                    state[0] = (state[0] * 1103515245 + 12345) & 0x7FFFFFFF
                    out.append((state[0] >> 16) & 0xFF)
                return bytes(out)
            return random_bytes

        replies = []
        for request in json.load(sys.stdin):
            try:
                if request["op"] == "generate":
                    default_random = shamir.RANDOM_BYTES
                    if "lcg_seed" in request:
                        shamir.RANDOM_BYTES = lcg(request["lcg_seed"])
                    try:
                        groups = shamir.generate_mnemonics(
                            request["group_threshold"], [tuple(g) for g in request["groups"]],
                            bytes.fromhex(request["secret_hex"]), request["passphrase"].encode("ascii"),
                            request["extendable"], request["exponent"])
                    finally:
                        shamir.RANDOM_BYTES = default_random
                    replies.append({"mnemonics": groups})
                else:
                    secret = shamir.combine_mnemonics(request["mnemonics"], request["passphrase"].encode("ascii"))
                    replies.append({"secret_hex": secret.hex()})
            except (MnemonicError, ValueError) as error:
                replies.append({"error": str(error)})
        json.dump(replies, sys.stdout)
        """

    /// Whether `python3 -c 'import shamir_mnemonic'` succeeds.
    static let isAvailable: Bool = {
        guard let result = try? execute(["-c", "import shamir_mnemonic"], input: Data()) else { return false }
        return result.status == 0
    }()

    static func run(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        let input = try JSONSerialization.data(withJSONObject: requests)
        let result = try execute(["-c", script], input: input)
        guard result.status == 0,
            let replies = try JSONSerialization.jsonObject(with: result.output) as? [[String: Any]],
            replies.count == requests.count
        else {
            throw InteropError(description: "reference implementation failed (status \(result.status))")
        }
        return replies
    }

    struct InteropError: Error, CustomStringConvertible {
        var description: String
    }

    private static func execute(_ arguments: [String], input: Data) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
