import Foundation
import Sodium
import Testing

@testable import Escrow

@Suite struct IdentityTests {
    init() throws { try Sodium.initialize() }

    /// RFC 8032 test 1: a known key gives a known fingerprint and line, so the formats cannot drift silently.
    static let rfc8032Seed = Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60") ?? []
    static let rfc8032Public = Hex.decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a") ?? []

    func knownIdentity() throws -> CustodianIdentity {
        try CustodianIdentity(
            name: "alice",
            email: "alice@example.com",
            keyPair: try SigningKeyPair(seed: SecureBytes(copying: Self.rfc8032Seed))
        )
    }

    @Test func fingerprintIsStableAndFormatted() throws {
        let identity = try knownIdentity()
        #expect(identity.publicIdentity.signingKey == Self.rfc8032Public)
        let text = identity.publicIdentity.fingerprint.description
        #expect(text.count == 24)
        #expect(text.split(separator: "-").count == 5)
        #expect(text == text.uppercased())
        #expect(Fingerprint(text) == identity.publicIdentity.fingerprint)
        #expect(
            Fingerprint(text.lowercased().replacingOccurrences(of: "-", with: ""))
                == identity.publicIdentity.fingerprint
        )
        #expect(Fingerprint("3F2A-91C4") == nil)
        // Pinned value: BLAKE2b-256("escrow-fingerprint-v1" ‖ key), first 10 bytes.
        let expected = Array(
            GenericHash.hash(Array("escrow-fingerprint-v1".utf8) + Self.rfc8032Public, count: 32).prefix(10)
        )
        #expect(identity.publicIdentity.fingerprint.bytes == expected)
    }

    @Test func publicLineRoundTrips() throws {
        let identity = try knownIdentity().publicIdentity
        let line = identity.line
        #expect(
            line.hasPrefix("escrow-custodian-v1 alice <alice@example.com> 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo ")
        )
        // Pinned against an independent computation (Python hashlib.blake2b) of the documented format.
        #expect(
            line
                == "escrow-custodian-v1 alice <alice@example.com> 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo B7AD-EEB0-ED2D-42EE-A5C6 9e6d344f"
        )
        #expect(identity.fingerprint.description == "B7AD-EEB0-ED2D-42EE-A5C6")
        #expect(try PublicIdentity(line: line) == identity)
        #expect(try PublicIdentity(line: "  \(line)\r\n") == identity)
        let noEmail = try PublicIdentity(name: "bob", email: "", signingKey: Self.rfc8032Public)
        #expect(noEmail.line.contains(" bob <> "))
        #expect(try PublicIdentity(line: noEmail.line) == noEmail)
    }

    @Test func mangledLinesAreRefused() throws {
        let line = try knownIdentity().publicIdentity.line
        var words = line.split(separator: " ").map(String.init)
        // A changed name: the check catches it.
        words[1] = "alicf"
        expectEscrowError(.tampered) { _ = try PublicIdentity(line: words.joined(separator: " ")) }
        // A truncated key.
        words = line.split(separator: " ").map(String.init)
        words[3].removeLast()
        expectEscrowError(.tampered) { _ = try PublicIdentity(line: words.joined(separator: " ")) }
        // A missing word.
        expectEscrowError(.invalidInput) {
            _ = try PublicIdentity(line: line.split(separator: " ").dropLast().joined(separator: " "))
        }
        // Another version.
        expectEscrowError(.unsupportedVersion) {
            _ = try PublicIdentity(
                line: line.replacingOccurrences(of: "escrow-custodian-v1", with: "escrow-custodian-v2")
            )
        }
        expectEscrowError(.invalidInput) { _ = try PublicIdentity(line: "hello world") }
    }

    @Test func badNamesAndEmailsAreRefused() {
        expectEscrowError(.invalidInput) { _ = try CustodianIdentity(name: "Alice", email: "") }
        expectEscrowError(.invalidInput) { _ = try CustodianIdentity(name: "alice", email: "not-an-address") }
        expectEscrowError(.invalidInput) { _ = try CustodianIdentity(name: "alice", email: "a <b>@example.com") }
        expectEscrowError(.invalidInput) { _ = try PublicIdentity(name: "alice", email: "", signingKey: [1, 2, 3]) }
    }

    @Test func derivedBoxKeyMatchesPublicConversion() throws {
        let identity = try knownIdentity()
        #expect(try identity.boxKeyPair().publicKey == identity.publicIdentity.boxPublicKey())
    }

    @Test func weakPassphrasesAreRefusedAndSayWhy() {
        let refusals: [(String, String)] = [
            ("Password123!", "a common password with a symbol appended (about 10^4 guesses"),
            ("P@ssw0rd2024", "a common password with look-alike substitutions and a year appended (about 10^4 guesses"),
            ("Summer2024!!", "a common password with a year and symbols appended (about 10^8 guesses"),
            ("passwordpassword", "a common password repeated (about 10^0 guesses"),
            ("Sunshine2024", "a common password with a year appended"),
            ("mnbvcxzasdfg", "two common passwords run together"),
            ("qwertyuiop123", "a common password with digits appended"),
            ("zxcvbnmjhgfd", "a keyboard pattern"),
            ("aaaaaaaaaaaaaaaa", "a repeated character"),
            ("abcdefghijklmnop", "a sequence like abcd or 1234"),
            ("drowssapdrowssap", "a common password spelled backwards repeated"),
            ("monkey123456", "a common password with digits appended"),
        ]
        for (passphrase, reason) in refusals {
            let error = expectEscrowError(.weakPassphrase) { try PassphrasePolicy.check(secure(passphrase)) }
            #expect(
                error?.message.hasPrefix("passphrase is too easy to guess: \(reason)") == true,
                "\(passphrase): \(error?.message ?? "")"
            )
            #expect(error?.message.contains(passphrase) == false, "the message never shows the passphrase")
        }
        // Exact messages.
        let common = expectEscrowError(.weakPassphrase) { try PassphrasePolicy.check(secure("Password123!")) }
        #expect(
            common?.message
                == "passphrase is too easy to guess: a common password with a symbol appended (about 10^4 guesses, "
                + "at least 10^10 needed); use four or more random words instead"
        )
        let year = expectEscrowError(.weakPassphrase) { try PassphrasePolicy.check(secure("iloveyou2024")) }
        #expect(
            year?.message
                == "passphrase is too easy to guess: a common password with a year appended (about 10^4 guesses, at "
                + "least 10^10 needed); use four or more random words instead"
        )
        let short = expectEscrowError(.weakPassphrase) { try PassphrasePolicy.check(secure("short")) }
        #expect(short?.message == "passphrase is too short (5 characters, at least 12 needed)")
    }

    @Test func strongPassphrasesAreAccepted() throws {
        for passphrase in [
            "tundra orbit velvet lantern",  // four random words
            "correct horse battery staple alice",
            "k8#Vq2!mZr5@Lp9&xW3t",  // 20 random characters
            "Xk9#mQ2$vL7!pR4&",
            "gravel-Mosaic-plinth-7-ochre",
        ] {
            #expect(throws: Never.self, "\(passphrase)") { try PassphrasePolicy.check(secure(passphrase)) }
            let estimate = try #require(PassphrasePolicy.estimate(secure(passphrase)))
            #expect(estimate.guesses >= PassphrasePolicy.minimumGuesses)
        }
        // Twenty random characters are about 10^20 guesses (10 per unmatched character).
        let random = try #require(PassphrasePolicy.estimate(secure("k8#Vq2!mZr5@Lp9&xW3t")))
        #expect(random.log10Guesses >= 19)
        // A password generated by escrow passes as well.
        let generated = try PasswordGenerator.generate(length: PasswordGenerator.defaultLength)
        #expect(throws: Never.self) { try PassphrasePolicy.check(generated) }
    }

    @Test func everyPatternOfTheEstimatorIsFound() throws {
        func log10(_ text: String) throws -> Double {
            try #require(PassphrasePolicy.estimate(secure(text))).log10Guesses
        }
        // Each pattern makes a 12-character passphrase far cheaper than 12 random characters (10^12).
        for text in [
            "qwertyuiopas", "1qaz2wsx3edc", "abcdefghijkl", "987654321098", "xyzxyzxyzxyz", "31121999!!!!",
            "2024-12-31ab", "p4ssw0rdp4ss", "dragonsunday",
        ] {
            #expect(try log10(text) < 10, "\(text)")
        }
    }
}
