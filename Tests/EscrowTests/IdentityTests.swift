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

    @Test func passphrasePolicy() {
        #expect(PassphrasePolicy.estimatedBits(secure("aaaaaaaaaaaaaaaa")) < 20)
        #expect(PassphrasePolicy.estimatedBits(secure("abcdefghijklmnop")) < 20)
        #expect(PassphrasePolicy.estimatedBits(secure("password1234")) < 60)
        #expect(PassphrasePolicy.estimatedBits(secure("correct horse battery staple")) > 100)
        #expect(PassphrasePolicy.estimatedBits(secure("Xk9#mQ2$vL7!pR4&")) > 90)
        expectEscrowError(.weakPassphrase) { try PassphrasePolicy.check(secure("short")) }
        expectEscrowError(.weakPassphrase) { try PassphrasePolicy.check(secure("aaaaaaaaaaaaaaaaaaaa")) }
        expectEscrowError(.weakPassphrase) { try PassphrasePolicy.check(secure("password1234")) }
        #expect(throws: Never.self) { try PassphrasePolicy.check(secure("correct horse battery staple")) }
        // Exact pins for the formula (16 random-looking lowercase letters: 16 × log2(26)).
        #expect(abs(PassphrasePolicy.estimatedBits(secure("qwfpgjluyrzmckvb")) - 16 * 4.700_439_718) < 0.001)
    }
}
