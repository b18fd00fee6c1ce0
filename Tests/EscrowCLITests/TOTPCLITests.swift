import Foundation
import Testing

/// `escrow totp`: RFC 6238 codes from a base32 seed or an otpauth URI on standard input.
@Suite struct TOTPCLITests {
    @Test func codesFromSeedsAndURIs() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        func code(_ input: String, at time: Int64) throws -> String {
            let result = try cli.run(["totp", "--at", String(time)], stdin: Array(input.utf8))
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdoutText
        }
        let sha1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        #expect(try code(sha1 + "\n", at: 59) == "287082 (1s left)\n")
        #expect(try code(sha1, at: 1_111_111_111) == "050471 (29s left)\n")
        #expect(
            try code("otpauth://totp/ACME:root?secret=\(sha1)&digits=8", at: 20_000_000_000) == "65353130 (10s left)\n"
        )
        // RFC 6238's SHA-256 seed is 32 bytes: "12345678901234567890123456789012".
        let sha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"
        #expect(
            try code("otpauth://totp/x?secret=\(sha256)&algorithm=SHA256&digits=8", at: 59) == "46119246 (1s left)\n"
        )
        #expect(try code("otpauth://totp/x?secret=\(sha1)&period=60", at: 119) == "287082 (1s left)\n")

        try Data("otpauth://totp/x?secret=\(sha1)\n".utf8).write(to: URL(fileURLWithPath: cli.path("mfa.uri")))
        let fromFile = try cli.run(["totp", "--at", "59", "--in", cli.path("mfa.uri")])
        #expect(fromFile.stdoutText == "287082 (1s left)\n")

        for (input, message) in [
            ("not base32!", "the TOTP seed is not valid base32"),
            ("otpauth://hotp/x?secret=\(sha1)", "otpauth URI type 'hotp' is not supported"),
            ("otpauth://totp/x?secret=\(sha1)&digits=9", "TOTP digits must be 6, 7 or 8, not 9"),
        ] {
            let result = try cli.run(["totp", "--at", "59"], stdin: Array(input.utf8))
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "error: \(message)\n" || result.stderr.hasPrefix("error: \(message)"))
            #expect(!result.stderr.contains(sha1), "the seed never appears in an error")
        }
        let negative = try cli.run(["totp", "--at=-5"], stdin: Array(sha1.utf8))
        #expect(negative.status == 1)
        #expect(negative.stderr.hasPrefix("error: TOTP time -5 is before 1970"))
    }
}
