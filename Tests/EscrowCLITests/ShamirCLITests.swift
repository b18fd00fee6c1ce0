import Foundation
import Testing

/// `escrow shamir split|combine` end to end, through the built binary.
@Suite struct ShamirCLITests {
    private let cli: CLIHarness

    init() throws { cli = try CLIHarness() }

    private func lines(_ result: CLIHarness.Result) -> [String] {
        result.stdoutText.split(separator: "\n").map(String.init)
    }

    /// Asserts a refusal: exit 1, one `error:` line naming `fragment`, nothing on stdout.
    private func expectRefusal(_ result: CLIHarness.Result, _ fragment: String, status: Int32 = 1) {
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(fragment), "stderr was: \(result.stderr)")
        if status == 1 {
            #expect(result.stderr.split(separator: "\n").last?.hasPrefix("error: ") == true)
        }
    }

    @Test func nativeRoundTripEveryThresholdSubset() throws {
        defer { cli.cleanUp() }
        let secret: [UInt8] = [0x00] + Array("root password: hunter2".utf8) + [0xFF, 0x00]
        let split = try cli.run(["shamir", "split", "-t", "3", "-n", "5"], stdin: secret)
        #expect(split.status == 0 && split.stderr.isEmpty)
        let shares = lines(split)
        #expect(shares.count == 5 && shares.allSatisfy { $0.hasPrefix("escrow-share-v1-") })
        for subset in [[0, 1, 2], [0, 2, 4], [4, 3, 1], [1, 2, 3, 4]] {
            let input = subset.map { shares[$0] }.joined(separator: "\n") + "\n"
            let combined = try cli.run(["shamir", "combine"], stdin: Array(input.utf8))
            #expect(combined.status == 0)
            #expect(combined.stdout == secret)
        }
        let hex = try cli.run(
            ["shamir", "combine", "--hex"],
            stdin: Array((shares[0] + "\n\n" + shares[1] + "\n" + shares[2]).utf8)
        )
        #expect(hex.stdoutText == secret.map { String(format: "%02x", $0) }.joined() + "\n")
    }

    @Test func nativeRefusalsNameTheLine() throws {
        defer { cli.cleanUp() }
        let shares = lines(try cli.run(["shamir", "split", "-t", "3", "-n", "4"], stdin: Array("s3cr3t".utf8)))
        let other = lines(try cli.run(["shamir", "split", "-t", "3", "-n", "4"], stdin: Array("s3cr3t".utf8)))
        var typo = Array(shares[1].utf8)
        typo[36] = typo[36] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        let cases: [([String], String)] = [
            (
                [shares[0], "", String(decoding: typo, as: UTF8.self), shares[2]],
                "line 3: the share's checksum does not match"
            ),
            ([shares[0], String(shares[1].dropLast()), shares[2]], "line 2: the share is truncated or damaged"),
            ([shares[0], shares[1], other[2]], "line 3 is from a different split than line 1"),
            ([shares[0], shares[1], shares[1]], "line 3 repeats share number 2"),
            ([shares[0], shares[1]], "only 2 shares given: this split needs 3"),
            (["not a share"], "line 1: not an escrow share"),
        ]
        for (input, fragment) in cases {
            expectRefusal(
                try cli.run(["shamir", "combine"], stdin: Array(input.joined(separator: "\n").utf8)),
                fragment
            )
        }
    }

    @Test func vaultRoundTripWarningAndRefusals() throws {
        defer { cli.cleanUp() }
        let secret = Array("vault master key 0123456789abcdef".utf8)
        let split = try cli.run(["shamir", "split", "-t", "2", "-n", "3", "--format", "vault"], stdin: secret)
        #expect(split.status == 0)
        #expect(split.stderr.contains("unauthenticated"))
        let shares = lines(split)
        #expect(shares.count == 3)
        let combined = try cli.run(
            ["shamir", "combine", "--format", "vault"],
            stdin: Array((shares[2] + "\n" + shares[0]).utf8)
        )
        #expect(combined.status == 0 && combined.stdout == secret)
        #expect(combined.stderr.contains("warning: vault-format shares are unauthenticated"))
        // A published Vault split (hex lines) combines; x = 0, duplicates, mixed lengths, one share refused.
        let vault = [
            "26141de26c878e102c0335421d1dc81562", "4fbfec9e3102f14a75ffdbf7c83049e43b",
            "593ea5a585064afd077003d971fa5aba81",
        ]
        let fromVault = try cli.run(
            ["shamir", "combine", "--format", "vault", "--hex"],
            stdin: Array(vault.joined(separator: "\n").utf8)
        )
        #expect(fromVault.stdoutText == "000102030405060708090a0b0c0d0e0f\n")
        let refusals: [([String], String)] = [
            (["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa00", vault[1]], "line 1: the share has x = 0"),
            ([vault[0], vault[0]], "line 2 has the same x-coordinate"),
            ([vault[0], "90e7ea4295544abb1696d8f3515d35"], "line 2 has 15 bytes"),
            ([vault[0]], "at least 2 are needed"),
            ([vault[0], "@@@not base64@@@"], "line 2: not a vault share"),
        ]
        for (input, fragment) in refusals {
            expectRefusal(
                try cli.run(
                    ["shamir", "combine", "--format", "vault"],
                    stdin: Array(input.joined(separator: "\n").utf8)
                ),
                fragment
            )
        }
        // Regression: a base64 line made only of hex digits ("0AeD") is read as base64 when another line is not hex.
        let lookalike = try cli.run(
            ["shamir", "combine", "--format", "vault", "--hex"],
            stdin: Array("0AeD\nEjQF\n".utf8)
        )
        let asHex = try cli.run(
            ["shamir", "combine", "--format", "vault", "--hex"],
            stdin: Array("d00783\n123405\n".utf8)
        )
        #expect(lookalike.status == 0 && asHex.status == 0)
        #expect(lookalike.stdout == asHex.stdout && lookalike.stdout.count == 5)
    }

    @Test func shareFilesRoundTripAndRefusals() throws {
        defer { cli.cleanUp() }
        var secret = [UInt8](repeating: 0, count: 3 * 1_048_576 + 17)  // crosses the 1 MiB chunk size
        for i in secret.indices { secret[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        try Data(secret).write(to: URL(fileURLWithPath: cli.path("big.bin")))
        let split = try cli.run(["shamir", "split", "-t", "3", "-n", "5", "--in", "big.bin", "--out", "key"])
        #expect(split.status == 0 && split.stdout.isEmpty)
        for i in 1...5 {
            let size = try FileManager.default.attributesOfItem(atPath: cli.path("key.\(i)"))[.size] as? Int
            #expect(size == secret.count + 44)
        }
        let combined = try cli.run(["shamir", "combine", "key.5", "key.1", "key.3"])
        #expect(combined.status == 0 && combined.stdout == secret)
        // Refuses to overwrite existing share files.
        expectRefusal(
            try cli.run(["shamir", "split", "-t", "2", "-n", "2", "--out", "key"], stdin: [1]),
            "key.1 already exists"
        )
        // Too few, duplicate, foreign split, damaged and truncated files are refused, naming the file.
        _ = try cli.run(["shamir", "split", "-t", "3", "-n", "3", "--in", "big.bin", "--out", "other"])
        expectRefusal(try cli.run(["shamir", "combine", "key.1", "key.2"]), "this split needs 3")
        expectRefusal(try cli.run(["shamir", "combine", "key.1", "key.2", "key.2"]), "key.2 repeats share number 2")
        expectRefusal(
            try cli.run(["shamir", "combine", "key.1", "key.2", "other.3"]),
            "other.3 is from a different split"
        )
        var damaged = try Data(contentsOf: URL(fileURLWithPath: cli.path("key.4")))
        damaged[2_000_000] ^= 0x01
        try damaged.write(to: URL(fileURLWithPath: cli.path("key.4")))
        expectRefusal(
            try cli.run(["shamir", "combine", "key.1", "key.2", "key.4"]),
            "key.4: the share file is damaged"
        )
        try damaged.prefix(1000).write(to: URL(fileURLWithPath: cli.path("key.4")))
        expectRefusal(
            try cli.run(["shamir", "combine", "key.1", "key.2", "key.4"]),
            "key.4: the share file is truncated"
        )
        expectRefusal(
            try cli.run(["shamir", "combine", "big.bin", "key.2", "key.1"]),
            "big.bin: not an escrow share file"
        )
    }

    /// Streaming split from stdin, --sync, --hex over files, no temporary files left behind, every given file verified
    /// before anything is printed (also files beyond the threshold), and an empty input creates no file.
    @Test func shareFilesStreamingSyncHexAndFullVerification() throws {
        defer { cli.cleanUp() }
        var secret = [UInt8](repeating: 0, count: 2 * 1_048_576 + 1)
        for i in secret.indices { secret[i] = UInt8(truncatingIfNeeded: (i &* 40_503) >> 7) }
        let split = try cli.run(["shamir", "split", "-t", "2", "-n", "4", "--out", "s", "--sync"], stdin: secret)
        #expect(split.status == 0 && split.stdout.isEmpty && split.stderr.isEmpty)
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter {
            !$0.hasPrefix(".")
        }
        #expect(Set(names) == ["s.1", "s.2", "s.3", "s.4"])
        let hex = try cli.run(["shamir", "combine", "--hex", "s.4", "s.2"])
        #expect(hex.status == 0)
        #expect(hex.stdout.count == 2 * secret.count + 1 && hex.stdout.last == 0x0A)
        #expect(Array(hex.stdout.prefix(8)) == Array(secret.prefix(4).map { String(format: "%02x", $0) }.joined().utf8))
        let tiny = try cli.run(["shamir", "split", "-t", "2", "-n", "2", "--out", "t"], stdin: [0x42])
        #expect(tiny.status == 0)
        #expect(try cli.run(["shamir", "combine", "t.2", "t.1"]).stdout == [0x42])
        // A damaged file beyond the first K is still refused before any output.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: cli.path("s.3")))
        damaged[damaged.count - 1] ^= 0x80
        try damaged.write(to: URL(fileURLWithPath: cli.path("s.3")))
        expectRefusal(try cli.run(["shamir", "combine", "s.1", "s.2", "s.3"]), "s.3: the share file is damaged")
        // Empty input: refused, and no share file (or temporary file) is created.
        expectRefusal(try cli.run(["shamir", "split", "-t", "2", "-n", "3", "--out", "e"]), "the secret is empty")
        let after = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path)
        #expect(!after.contains { $0.hasPrefix("e.") })
        // Lengths around the header size and the chunk size (writes carry the header's length of bytes forward).
        for length in [43, 44, 45, 88, 262_143, 262_144, 262_145, 262_144 + 44, 2 * 262_144 + 43] {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let stem = "len\(length)"
            let made = try cli.run(["shamir", "split", "-t", "3", "-n", "4", "--out", stem], stdin: data)
            #expect(made.status == 0, "\(length): \(made.stderr)")
            let back = try cli.run(["shamir", "combine", "\(stem).4", "\(stem).2", "\(stem).1"])
            #expect(back.status == 0 && back.stdout == data, "length \(length): \(back.stderr)")
        }
        // --sync only makes sense with --out.
        let usage = try cli.run(["shamir", "split", "-t", "2", "-n", "3", "--sync"], stdin: [1])
        #expect(usage.status == 64 && usage.stdout.isEmpty)
    }

    @Test func usageErrorsExit64AndBadInputExit1() throws {
        defer { cli.cleanUp() }
        for arguments in [
            ["shamir", "split", "-t", "1", "-n", "3"], ["shamir", "split", "-t", "4", "-n", "3"],
            ["shamir", "split", "-t", "2", "-n", "256"],
            ["shamir", "split", "-t", "2", "-n", "3", "--format", "vault", "--out", "x"],
            ["shamir", "split", "-t", "2", "-n", "3", "--format", "rot13"], ["shamir", "combine", "--in", "a", "b.1"],
        ] {
            let result = try cli.run(arguments, stdin: [1, 2, 3])
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stdout.isEmpty)
        }
        expectRefusal(try cli.run(["shamir", "split", "-t", "2", "-n", "3"]), "the secret is empty")
        expectRefusal(
            try cli.run(["shamir", "split", "-t", "2", "-n", "3", "--in", "missing.bin"]),
            "cannot open missing.bin"
        )
        expectRefusal(
            try cli.run(["shamir", "split", "-t", "2", "-n", "3", "--format", "slip39"], stdin: [1]),
            "SLIP-39 needs at least 16"
        )
    }
}
