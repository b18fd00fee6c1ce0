import Sodium
import Testing

@testable import Escrow

@Suite struct EntriesTests {
    init() throws { try Sodium.initialize() }

    @Test func generatedPasswordsMeetThePolicy() throws {
        let alphabet = Set(PasswordGenerator.alphabet)
        var counts = [UInt8: Int]()
        for _ in 0..<300 {
            let password = try PasswordGenerator.generate()
            #expect(password.count == 24)
            #expect(PasswordGenerator.hasEveryClass(password))
            password.withUnsafeBytes { bytes in
                for byte in bytes {
                    #expect(alphabet.contains(byte))
                    counts[byte, default: 0] += 1
                }
            }
        }
        // 7200 draws over 88 characters: every character appears, none wildly often (uniformity smoke check).
        #expect(counts.count == PasswordGenerator.alphabet.count)
        #expect(counts.values.max() ?? 0 < 160)
        #expect(try PasswordGenerator.generate(length: 128).count == 128)
        expectEscrowError(.invalidInput) { _ = try PasswordGenerator.generate(length: 19) }
        expectEscrowError(.invalidInput) { _ = try PasswordGenerator.generate(length: 129) }
    }

    @Test func classCheck() {
        #expect(PasswordGenerator.hasEveryClass(secure("aB3!")))
        #expect(!PasswordGenerator.hasEveryClass(secure("aB3c")))
        #expect(!PasswordGenerator.hasEveryClass(secure("ab3!")))
        #expect(!PasswordGenerator.hasEveryClass(secure("AB3!")))
        #expect(!PasswordGenerator.hasEveryClass(secure("aBc!")))
        #expect(!PasswordGenerator.hasEveryClass(secure("aB3~")))  // '~' is not an AWS symbol
    }

    // RFC 4648 §10.
    @Test(arguments: [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI"),
    ])
    func base32Vectors(plain: String, encoded: String) throws {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        let decoded = try Array(encoded.utf8).withUnsafeBytes { try Base32.decode($0) }
        #expect(string(decoded) == plain)
    }

    func decode32(_ text: String) throws -> String {
        try string(Array(text.utf8).withUnsafeBytes { try Base32.decode($0) })
    }

    @Test func base32Leniency() throws {
        #expect(try decode32("mzxw6ytboi") == "foobar")
        #expect(try decode32("MZXW 6YTB-OI") == "foobar")
        #expect(try decode32("MZXW6YQ=") == "foob")
        #expect(try decode32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") == "12345678901234567890")
    }

    @Test(arguments: ["MZXW1", "MZXW6YTB0I", "MY======X", "MZ", "M", "MZXW6YQ==", "MZ!W"])
    func base32Refusals(text: String) {
        let error = expectEscrowError(.invalidInput) { _ = try decode32(text) }
        #expect(error?.message.contains(text) == false)  // never echoes the seed
    }

    func parse(_ uri: String) throws -> OTPAuthURI.Parsed { try OTPAuthURI.parse(secure(uri), defaultLabel: "mfa") }

    /// Fuzzing regression (Fuzz/seeds/otpauth/regression-parameter-name-control-chars): a parameter's name was echoed
    /// raw in the "broken %-escape" and "not valid UTF-8" messages, so a URI could put control characters into them.
    @Test func parameterNamesInRefusalsArePrintable() {
        let utf8 = expectEscrowError(.invalidInput) {
            _ = try parse("otpauth://totp/a?p\u{0}\u{1B}x=%FF&secret=JBSWY3DPEHPK3PXP")
        }
        #expect(utf8?.message == "otpauth p??x is not valid UTF-8")
        let escape = expectEscrowError(.invalidInput) {
            _ = try parse("otpauth://totp/a?p\u{7F}=%G1&secret=JBSWY3DPEHPK3PXP")
        }
        #expect(escape?.message == "otpauth p? has a broken %-escape")
    }

    @Test func awsStyleURI() throws {
        let parsed = try parse(
            "otpauth://totp/Amazon%20Web%20Services:root@123456789012?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Amazon%20Web%20Services\n"
        )
        #expect(string(parsed.seed) == "12345678901234567890")
        #expect(
            parsed.parameters.metadata
                == [
                    "algorithm": "SHA1", "digits": "6", "period": "30", "issuer": "Amazon Web Services",
                    "label": "Amazon Web Services:root@123456789012",
                ]
        )
    }

    @Test func uriParameters() throws {
        let parsed = try parse(
            "OTPAUTH://TOTP/Example:alice?secret=JBSWY3DPEHPK3PXP&algorithm=sha256&digits=8&period=60&image=x"
        )
        #expect(parsed.parameters.algorithm == .sha256)
        #expect(parsed.parameters.digits == 8)
        #expect(parsed.parameters.period == 60)
        #expect(parsed.parameters.issuer == "Example")
        #expect(try TOTPParameters(metadata: parsed.parameters.metadata) == parsed.parameters)
    }

    @Test(arguments: [
        ("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1", "only totp"),
        ("otpauth://totp/x?issuer=a", "no secret"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", "not SHA1"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9", "6, 7 or 8"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0", "period"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP", "repeats"),
        ("otpauth://totp/x?secret=JBSW%33DPEHPK3PXP", "plain base32"),
        ("otpauth://totp/x?secret=JBSWY3DP", "10 to 128 bytes"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PX1", "not valid base32"),
        ("otpauth://totp", "no type"),
    ])
    func uriRefusals(uri: String, reason: String) {
        let error = expectEscrowError(.invalidInput) { _ = try parse(uri) }
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("JBSWY3DPEHPK3PXP") == false)
    }

    @Test func bareSeed() throws {
        let parsed = try parse("  jbsw y3dp ehpk 3pxp\n")
        #expect(
            parsed.seed.withUnsafeBytes { Array($0) } == Array("Hello!\u{DE}\u{AD}\u{BE}\u{EF}".utf8.prefix(6)) + [
                0xDE, 0xAD, 0xBE, 0xEF,
            ]
        )
        #expect(parsed.parameters.metadata == ["algorithm": "SHA1", "digits": "6", "period": "30", "label": "mfa"])
    }

    @Test func entryInputPerKind() throws {
        let password = try EntryInput.prepare(secure("hunter2-but-longer\r\n"), kind: .password, entryName: "root")
        #expect(string(password.value) == "hunter2-but-longer")
        #expect(password.metadata.isEmpty)
        let note = try EntryInput.prepare(secure("line 1\nline 2\n"), kind: .note, entryName: "n")
        #expect(string(note.value) == "line 1\nline 2\n")
        let totp = try EntryInput.prepare(secure("JBSWY3DPEHPK3PXP"), kind: .totp, entryName: "mfa")
        #expect(totp.value.count == 10)
        #expect(totp.metadata["label"] == "mfa")
        expectEscrowError(.invalidInput) {
            _ = try EntryInput.prepare(secure("\n"), kind: .password, entryName: "root")
        }
        expectEscrowError(.invalidInput) { _ = try EntryInput.prepare(secure(""), kind: .note, entryName: "n") }
        expectEscrowError(.invalidInput) {
            _ = try EntryInput.prepare(SecureBytes(count: EntryInput.maximumLength + 1), kind: .note, entryName: "n")
        }
    }

    @Test func metadataValidation() throws {
        let valid = try VaultMetadata.parse([
            "provider=aws", "account_id=123456789012", "org_role=management", "org_id=o-abcdef1234",
            "root_email=root@acme.example",
            "mfa=yubikey-1,authenticator", "account_alias=acme-prod", "centralized_root_access=true", "x-ticket=OPS-42",
            "description=Main billing account",
        ])
        #expect(valid["account_id"] == "123456789012")
        #expect(valid.count == 10)
        let refusals: [(String, String)] = [
            ("account_id=12345678901", "12 digits"), ("account_id=12345678901a", "12 digits"),
            ("org_role=owner", "management"),
            ("org_id=o-short", "organization id"), ("org_id=o-ABCDEFGHIJ", "organization id"),
            ("root_email=root", "e-mail"),
            ("mfa=a,b,c,d,e,f,g,h,i", "at most 8"), ("mfa=bad label", "MFA labels"), ("acount_id=1", "unknown"),
            ("novalue", "key=value"), ("account_name=", "empty"), ("account_name=a\u{7}b", "control"),
            ("centralized_root_access=yes", "true or false"), ("provider=oracle", "aws, azure"),
        ]
        for (argument, reason) in refusals {
            let error = expectEscrowError(.invalidInput) { _ = try VaultMetadata.parse([argument]) }
            #expect(error?.message.contains(reason) == true, "\(argument): \(error?.message ?? "")")
        }
        expectEscrowError(.invalidInput) {
            _ = try VaultMetadata.parse(["account_id=123456789012", "account_id=123456789012"])
        }
    }
}
