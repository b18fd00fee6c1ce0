import Foundation
import Testing

/// `escrow shamir split|combine --format slip39` end to end, through the built binary.
@Suite struct SLIP39CLITests {
    private let cli: CLIHarness

    init() throws { cli = try CLIHarness() }

    /// The test target's copy of the published SLIP-0039 files.
    private static let vectorsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SLIP39Tests/Vectors")

    private static let wordlist: [String] = {
        let url = vectorsDirectory.appendingPathComponent("wordlist.txt")
        return ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(
            String.init
        )
    }()

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    private func writeFile(_ name: String, _ text: String) throws -> String {
        let path = cli.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The groups of a split's output: mnemonics one per line, groups separated by one blank line.
    private func groups(_ result: CLIHarness.Result) -> [[String]] {
        result.stdoutText.components(separatedBy: "\n\n").map {
            $0.split(separator: "\n").map(String.init)
        }
    }

    private func combine(_ mnemonics: [String], _ extra: [String] = []) throws -> CLIHarness.Result {
        try cli.run(
            ["shamir", "combine", "--format", "slip39"] + extra,
            stdin: Array(mnemonics.joined(separator: "\n").utf8)
        )
    }

    /// Asserts a refusal: the exit status, one last `error:` line naming `fragment`, nothing on stdout.
    private func expectRefusal(_ result: CLIHarness.Result, _ fragment: String, status: Int32 = 1) {
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(fragment), "stderr was: \(result.stderr)")
        if status == 1 {
            #expect(result.stderr.split(separator: "\n").last?.hasPrefix("error: ") == true)
        }
    }

    @Test func singleGroupRoundTripWithDefaults() throws {
        defer { cli.cleanUp() }
        let secret = (0..<16).map { UInt8($0 * 17) }
        let split = try cli.run(
            ["shamir", "split", "--format", "slip39", "-t", "2", "-n", "3"],
            stdin: secret
        )
        #expect(split.status == 0 && split.stderr.isEmpty, "\(split.stderr)")
        #expect(split.stdoutText.hasSuffix("\n") && !split.stdoutText.contains("\n\n"))
        let shares = groups(split)[0]
        #expect(shares.count == 3)
        #expect(shares.allSatisfy { $0.split(separator: " ").count == 20 })
        // Defaults of the reference: extendable, iteration exponent 1 (bits 4 and 3…0 of the second word).
        let second = try #require(
            Self.wordlist.firstIndex(of: String(shares[0].split(separator: " ")[1]))
        )
        #expect(second & 0x1F == 0b1_0001)
        for pair in [[0, 1], [2, 0], [1, 2]] {
            let combined = try combine(pair.map { shares[$0] })
            #expect(combined.status == 0, "\(combined.stderr)")
            #expect(combined.stdout == secret)
        }
        let asHex = try combine([shares[2], "", "  ", shares[1]], ["--hex"])
        #expect(asHex.stdoutText == hex(secret) + "\n")
    }

    @Test func groupsArePrintedInOrderWithOneBlankLineBetween() throws {
        defer { cli.cleanUp() }
        let secret = (0..<32).map { UInt8(255 - $0) }
        let split = try cli.run(
            [
                "shamir", "split", "--format", "slip39", "--group-threshold", "2", "--group", "1/1",
                "--group", "2/3",
                "--group", "3/5", "--no-extendable", "--iteration-exponent", "0",
            ],
            stdin: secret
        )
        #expect(split.status == 0, "\(split.stderr)")
        let printed = groups(split)
        #expect(printed.map(\.count) == [1, 3, 5])
        #expect(printed.joined().allSatisfy { $0.split(separator: " ").count == 33 })
        // Group g's mnemonics share their first three words; group indices 0, 1, 2 in order (third word's top 4 bits).
        for (index, group) in printed.enumerated() {
            let prefixes = Set(group.map { $0.split(separator: " ").prefix(3).joined(separator: " ") })
            #expect(prefixes.count == 1)
            let third = try #require(
                Self.wordlist.firstIndex(of: String(group[0].split(separator: " ")[2]))
            )
            #expect(third >> 6 == index)
        }
        let second = try #require(
            Self.wordlist.firstIndex(of: String(printed[0][0].split(separator: " ")[1]))
        )
        #expect(second & 0x1F == 0)  // not extendable, exponent 0
        // Mixed order, groups interleaved.
        let subsets = [
            [printed[2][4], printed[0][0], printed[2][0], printed[2][2]],
            [printed[1][2], printed[2][1], printed[1][0], printed[2][3], printed[2][0]],
        ]
        for subset in subsets {
            let combined = try combine(subset)
            #expect(combined.status == 0, "\(combined.stderr)")
            #expect(combined.stdout == secret)
        }
    }

    @Test func passphraseComesFromAFileOrIsEmptyWithoutATerminal() throws {
        defer { cli.cleanUp() }
        let secret = Array("sixteen byte key".utf8)
        let crlf = try writeFile("crlf", "correct horse\r\n")
        let plain = try writeFile("plain", "correct horse")
        let split = try cli.run(
            ["shamir", "split", "--format", "slip39", "-t", "1", "-n", "1", "--passphrase-file", crlf],
            stdin: secret
        )
        #expect(split.status == 0, "\(split.stderr)")
        let share = groups(split)[0]
        #expect(try combine(share, ["--passphrase-file", plain]).stdout == secret)
        // No file and no terminal: the empty passphrase, which gives another (valid-looking) secret.
        let other = try combine(share)
        #expect(other.status == 0 && other.stdout.count == 16 && other.stdout != secret)
        // And a split without a file round-trips with an empty file.
        let unprotected = groups(
            try cli.run(["shamir", "split", "--format", "slip39", "-t", "1", "-n", "1"], stdin: secret)
        )
        #expect(
            try combine(unprotected[0], ["--passphrase-file", try writeFile("empty", "")]).stdout
                == secret
        )
    }

    /// With no passphrase file and a terminal, the passphrase is asked there, twice when splitting, without echo.
    /// util-linux `script` provides the pseudo-terminal; each answer is typed only once its prompt is shown.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux script"))
    func passphraseIsAskedOnTheTerminalWithoutEcho() throws {
        defer { cli.cleanUp() }
        let secret = Array("terminal secret!".utf8)
        let secretFile = try writeFile("secret.bin", String(decoding: secret, as: UTF8.self))
        let output = try cli.runOnTerminal(
            ["shamir", "split", "--format", "slip39", "-t", "1", "-n", "1", "--in", secretFile],
            answering: [
                ("SLIP-39 passphrase (empty for none): ", "hunter2\n"), ("Repeat the passphrase: ", "hunter2\n"),
            ]
        )
        #expect(output.contains("SLIP-39 passphrase (empty for none): "))
        #expect(output.contains("Repeat the passphrase: "))
        #expect(!output.contains("hunter2"), "the passphrase was echoed: \(output)")
        let words = output.split(whereSeparator: { $0 == " " || $0 == "\n" })
        #expect(words.count >= 20)
        let mnemonic = words.suffix(20).joined(separator: " ")
        let recovered = try combine([mnemonic], ["--passphrase-file", try writeFile("pass", "hunter2")])
        #expect(recovered.stdout == secret)
    }

    @Test func publishedVectorsThroughTheCommandLine() throws {
        defer { cli.cleanUp() }
        let data = try Data(contentsOf: Self.vectorsDirectory.appendingPathComponent("vectors.json"))
        let vectors = try #require(try JSONSerialization.jsonObject(with: data) as? [[Any]])
        #expect(vectors.count == 45)
        let passphrase = try writeFile("trezor", "TREZOR\n")
        for vector in vectors {
            let description = try #require(vector[0] as? String)
            let mnemonics = try #require(vector[1] as? [String])
            let expected = try #require(vector[2] as? String)
            let result = try combine(mnemonics, ["--passphrase-file", passphrase, "--hex"])
            if expected.isEmpty {
                expectRefusal(result, "error: ")
            } else {
                #expect(result.status == 0, "\(description): \(result.stderr)")
                #expect(result.stdoutText == expected + "\n", "\(description)")
            }
        }
    }

    @Test func refusalsNameTheLineAndTheReason() throws {
        defer { cli.cleanUp() }
        let secret = [UInt8](repeating: 0xA5, count: 16)
        let run = {
            try cli.run(["shamir", "split", "--format", "slip39", "-t", "2", "-n", "3"], stdin: secret)
        }
        let shares = groups(try run())[0]
        let other = groups(try run())[0]
        var words = shares[1].split(separator: " ").map(String.init)
        let original = words[4]
        // "academic" → "academicq": not a word, and only the original is one edit away (SLIP-39 words differ in their
        // first four letters; dropping a letter instead can tie, e.g. "both" → "bot" ~ "bolt").
        words[4] = original + "q"
        let typo = words.joined(separator: " ")
        var swapped = shares[1].split(separator: " ").map(String.init)
        swapped.swapAt(5, 6)

        let cases: [([String], String)] = [
            (
                [shares[0], "", typo],
                "line 3: word 5 is not in the SLIP-39 word list (did you mean \"\(original)\"?)"
            ),
            ([shares[0], swapped.joined(separator: " ")], "line 2: checksum mismatch"),
            ([shares[0], other[1]], "line 2 belongs to a different share set than line 1"),
            ([shares[0]], "group 1 needs exactly 2 shares but 1 was given (line 1)"),
            ([shares[0], shares[1], shares[2]], "group 1 needs exactly 2 shares but 3 were given"),
            ([shares[2], "", shares[2]], "line 1 and line 3 are both member 3 of group 1"),
            (["acid acne"], "line 1: 2 words is too short"),
            ([], "no mnemonics given"),
        ]
        for (input, fragment) in cases {
            expectRefusal(try combine(input), fragment)
        }
        // A typo is reported before any passphrase is read: the passphrase file is never opened.
        expectRefusal(
            try combine([typo], ["--passphrase-file", cli.path("missing")]),
            "line 1: word 5"
        )
    }

    @Test func splitRefusals() throws {
        defer { cli.cleanUp() }
        let secret = [UInt8](repeating: 1, count: 16)
        let split = { (arguments: [String], stdin: [UInt8]) in
            try cli.run(["shamir", "split", "--format", "slip39"] + arguments, stdin: stdin)
        }
        expectRefusal(
            try split(["-t", "2", "-n", "3"], Array(secret.prefix(15))),
            "15 bytes; SLIP-39 needs at least 16"
        )
        expectRefusal(try split(["-t", "2", "-n", "3"], secret + [1]), "an even number of bytes")
        expectRefusal(
            try split(["-t", "1", "-n", "2"], secret),
            "threshold 1 must have exactly one member"
        )
        expectRefusal(try split(["-t", "2", "-n", "17"], secret), "1 to 16 members")
        expectRefusal(
            try split(["--group-threshold", "3", "--group", "2/3", "--group", "1/1"], secret),
            "group threshold 3 must be between 1 and the number of groups (2)"
        )
        expectRefusal(
            try split(["-t", "2", "-n", "3", "--iteration-exponent", "16"], secret),
            "outside 0...15"
        )
        let accented = try writeFile("accented", "café\n")
        expectRefusal(
            try split(["-t", "2", "-n", "3", "--passphrase-file", accented], secret),
            "printable ASCII"
        )
        // Usage errors (status 64).
        expectRefusal(
            try split(["--group", "2/3", "--group", "1/1"], secret),
            "--group-threshold",
            status: 64
        )
        expectRefusal(
            try split(["--group", "2/3", "-t", "2", "-n", "3"], secret),
            "not both",
            status: 64
        )
        expectRefusal(try split([], secret), "give -t K -n N", status: 64)
        expectRefusal(try split(["--group", "2of3"], secret), "--group <K/N>", status: 64)
        expectRefusal(
            try cli.run(["shamir", "split", "-t", "2", "-n", "3", "--group", "2/3"], stdin: secret),
            "apply only to --format slip39",
            status: 64
        )
        expectRefusal(
            try cli.run(["shamir", "combine", "--passphrase-file", accented], stdin: []),
            "applies only to --format slip39",
            status: 64
        )
    }
}
