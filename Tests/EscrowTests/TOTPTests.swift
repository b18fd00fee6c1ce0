import Sodium
import Testing

@testable import Escrow

/// RFC 6238 Appendix B (all 18 rows), RFC 4226 Appendix D, truncation to 6 and 7 digits, time-step edges.
@Suite struct TOTPTests {
    init() throws { try Sodium.initialize() }

    /// The RFC seeds: 20 bytes for SHA-1, 32 for SHA-256, 64 for SHA-512 (the reference code's, see UX-NOTES §1.10).
    static func seed(_ algorithm: TOTPParameters.Algorithm) -> SecureBytes {
        let base = Array("1234567890".utf8)
        let count = algorithm == .sha1 ? 20 : algorithm == .sha256 ? 32 : 64
        return SecureBytes(copying: (0..<count).map { base[$0 % 10] })
    }

    static let appendixB: [(Int64, TOTPParameters.Algorithm, String)] = [
        (59, .sha1, "94287082"), (59, .sha256, "46119246"), (59, .sha512, "90693936"),
        (1_111_111_109, .sha1, "07081804"), (1_111_111_109, .sha256, "68084774"), (1_111_111_109, .sha512, "25091201"),
        (1_111_111_111, .sha1, "14050471"), (1_111_111_111, .sha256, "67062674"), (1_111_111_111, .sha512, "99943326"),
        (1_234_567_890, .sha1, "89005924"), (1_234_567_890, .sha256, "91819424"), (1_234_567_890, .sha512, "93441116"),
        (2_000_000_000, .sha1, "69279037"), (2_000_000_000, .sha256, "90698825"), (2_000_000_000, .sha512, "38618901"),
        (20_000_000_000, .sha1, "65353130"), (20_000_000_000, .sha256, "77737706"),
        (20_000_000_000, .sha512, "47863826"),
    ]

    @Test(arguments: appendixB)
    func rfc6238AppendixB(time: Int64, algorithm: TOTPParameters.Algorithm, expected: String) throws {
        let parameters = try TOTPParameters(algorithm: algorithm, digits: 8, period: 30)
        let code = try TOTP.code(seed: Self.seed(algorithm), parameters: parameters, at: time)
        #expect(string(code.digits) == expected)
        #expect(code.counter == UInt64(time) / 30)
    }

    @Test func allEighteenRowsAreListed() {
        #expect(Self.appendixB.count == 18)
        #expect(Set(Self.appendixB.map { "\($0.0)-\($0.1)" }).count == 18)
    }

    @Test func sixAndSevenDigitTruncation() throws {
        let six = try TOTP.code(seed: Self.seed(.sha1), parameters: try TOTPParameters(), at: 59)
        #expect(string(six.digits) == "287082")
        #expect(six.secondsLeft == 1)
        let seven = try TOTP.code(seed: Self.seed(.sha1), parameters: try TOTPParameters(digits: 7), at: 1_111_111_109)
        #expect(string(seven.digits) == "7081804")
        // A leading zero is kept.
        let eight = try TOTP.code(seed: Self.seed(.sha1), parameters: try TOTPParameters(digits: 8), at: 1_111_111_109)
        #expect(string(eight.digits) == "07081804")
    }

    @Test func rfc4226AppendixD() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
        ]
        for (counter, value) in expected.enumerated() {
            let code = TOTP.hotp(seed: Self.seed(.sha1), counter: UInt64(counter), algorithm: .sha1, digits: 6)
            #expect(string(code) == value, "counter \(counter)")
        }
    }

    @Test func timeStepEdges() throws {
        let parameters = try TOTPParameters()
        let start = try TOTP.code(seed: Self.seed(.sha1), parameters: parameters, at: 60)
        #expect(start.secondsLeft == 30)
        #expect(start.counter == 2)
        let end = try TOTP.code(seed: Self.seed(.sha1), parameters: parameters, at: 89)
        #expect(end.secondsLeft == 1)
        #expect(end.counter == 2)
        #expect(string(end.digits) == string(start.digits))
        #expect(string(start.digits) == "359152")  // HOTP counter 2
        let custom = try TOTP.code(seed: Self.seed(.sha1), parameters: try TOTPParameters(period: 60), at: 119)
        #expect(custom.counter == 1)
        #expect(custom.secondsLeft == 1)
        #expect(string(custom.digits) == "287082")
        expectEscrowError(.invalidInput) { _ = try TOTP.code(seed: Self.seed(.sha1), parameters: parameters, at: -1) }
    }

    @Test func otpauthParametersDriveTheCode() throws {
        let uri = "otpauth://totp/ACME:root?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&algorithm=SHA1&period=30"
        let parsed = try OTPAuthURI.parse(secure(uri))
        let code = try TOTP.code(seed: parsed.seed, parameters: parsed.parameters, at: 1_234_567_890)
        #expect(string(code.digits) == "89005924")
        let entry = OpenedVersion(
            vault: "acme",
            entry: "root-mfa",
            kind: .totp,
            version: [],
            depositor: "alice",
            depositedAt: UTCTime(secondsSinceEpoch: 0),
            metadata: parsed.parameters.metadata,
            value: parsed.seed,
            suspects: [],
            refusedApprovals: []
        )
        #expect(string(try entry.totpCode(at: 2_000_000_000).digits) == "69279037")
        let password = OpenedVersion(
            vault: "acme",
            entry: "root-password",
            kind: .password,
            version: [],
            depositor: "alice",
            depositedAt: UTCTime(secondsSinceEpoch: 0),
            metadata: [:],
            value: secure("x"),
            suspects: [],
            refusedApprovals: []
        )
        expectEscrowError(.invalidInput) { _ = try password.totpCode(at: 0) }
    }
}
