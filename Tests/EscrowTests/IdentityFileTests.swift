import Foundation
import Sodium
import Testing

@testable import Escrow

@Suite struct IdentityFileTests {
    let passphrase = secure("correct horse battery staple")
    let limits = KeyDerivationProfile.minimal.limits

    func sealed() throws -> (CustodianIdentity, IdentityFile, [UInt8]) {
        let identity = try identity("alice")
        let file = try IdentityFile.seal(
            identity,
            passphrase: passphrase,
            limits: limits,
            createdAt: UTCTime(secondsSinceEpoch: 1_700_000_000)
        )
        return (identity, file, try file.encoded())
    }

    @Test func roundTrip() throws {
        let (identity, _, bytes) = try sealed()
        let decoded = try IdentityFile.decode(bytes, source: "alice.id")
        #expect(decoded.publicIdentity == identity.publicIdentity)
        #expect(decoded.limits == limits)
        #expect(try decoded.encoded() == bytes)
        let opened = try decoded.unseal(passphrase: passphrase, allowTestProfile: true)
        #expect(opened.publicIdentity == identity.publicIdentity)
        #expect(opened.signingKeyPair.seed == identity.signingKeyPair.seed)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"format\": \"escrow-identity\""))
        #expect(text.contains("\"operations\": 1"))
        #expect(text.contains("\"memory_bytes\": 8192"))
    }

    @Test func defaultProfileIsModerate() {
        #expect(KeyDerivationProfile.moderate.limits == PasswordHash.Limits.moderate)
    }

    @Test func wrongPassphrase() throws {
        let (_, file, _) = try sealed()
        let error = expectEscrowError(.wrongPassphrase) {
            _ = try file.unseal(passphrase: secure("correct horse battery stapler"), allowTestProfile: true)
        }
        #expect(error?.message.contains("alice") == true)
    }

    @Test func truncatedFile() throws {
        let (_, _, bytes) = try sealed()
        for length in [0, 1, bytes.count / 2, bytes.count - 3] {
            let error = expectEscrowError(.malformedFile) {
                _ = try IdentityFile.decode(Array(bytes.prefix(length)), source: "alice.id")
            }
            #expect(error?.message.hasPrefix("alice.id") == true)
        }
    }

    /// Replaces one JSON field and returns the re-serialised file.
    func tamper(_ bytes: [UInt8], _ edit: (inout [String: JSONValue]) -> Void) throws -> [UInt8] {
        guard case .object(var members) = try JSONParser.parse(bytes, source: "t") else {
            throw EscrowError(.malformedFile, "")
        }
        edit(&members)
        return JSONWriter.pretty(.object(members))
    }

    @Test func everyHeaderFieldIsBound() throws {
        let (_, _, bytes) = try sealed()
        let other = try identity("mallory")
        let edits: [(String, (inout [String: JSONValue]) -> Void)] = [
            ("email", { $0["email"] = .string("eve@example.com") }),
            ("created_at", { $0["created_at"] = .string("2030-01-01T00:00:00Z") }),
            (
                "salt",
                {
                    guard case .object(var kdf) = $0["kdf"] else { return }
                    kdf["salt"] = .string(Base64URL.encode([UInt8](repeating: 1, count: 16)))
                    $0["kdf"] = .object(kdf)
                }
            ),
            (
                "operations",
                {
                    guard case .object(var kdf) = $0["kdf"] else { return }
                    kdf["operations"] = .int(2)
                    $0["kdf"] = .object(kdf)
                }
            ),
        ]
        for (field, edit) in edits {
            let file = try IdentityFile.decode(try tamper(bytes, edit), source: "alice.id")
            let error = expectEscrowError(.wrongPassphrase) {
                _ = try file.unseal(passphrase: passphrase, allowTestProfile: true)
            }
            #expect(error != nil, "field \(field)")
        }
        // Changing the name changes nothing the check can see except the binding: refused at unseal.
        let renamed = try IdentityFile.decode(try tamper(bytes) { $0["name"] = .string("bob") }, source: "alice.id")
        expectEscrowError(.wrongPassphrase) { _ = try renamed.unseal(passphrase: passphrase, allowTestProfile: true) }
        // A swapped key without its fingerprint is caught before any key derivation.
        expectEscrowError(.tampered) {
            _ = try IdentityFile.decode(
                try tamper(bytes) { $0["signing_key"] = .string(Base64URL.encode(other.publicIdentity.signingKey)) },
                source: "alice.id"
            )
        }
        // A swapped key with its fingerprint: the AEAD binding refuses.
        let swapped = try IdentityFile.decode(
            try tamper(bytes) {
                $0["signing_key"] = .string(Base64URL.encode(other.publicIdentity.signingKey))
                $0["fingerprint"] = .string(other.publicIdentity.fingerprint.description)
            },
            source: "alice.id"
        )
        expectEscrowError(.wrongPassphrase) { _ = try swapped.unseal(passphrase: passphrase, allowTestProfile: true) }
        // A flipped ciphertext byte.
        let sealedSeed = try tamper(bytes) {
            guard let text = $0["sealed_seed"]?.stringValue, var raw = Base64URL.decode(text) else { return }
            raw[30] ^= 1
            $0["sealed_seed"] = .string(Base64URL.encode(raw))
        }
        let flipped = try IdentityFile.decode(sealedSeed, source: "alice.id")
        expectEscrowError(.wrongPassphrase) { _ = try flipped.unseal(passphrase: passphrase, allowTestProfile: true) }
    }

    @Test func versionsAndUnknownFields() throws {
        let (_, _, bytes) = try sealed()
        expectEscrowError(.unsupportedVersion) {
            _ = try IdentityFile.decode(try tamper(bytes) { $0["version"] = .int(2) }, source: "a")
        }
        expectEscrowError(.unsupportedVersion) {
            _ = try IdentityFile.decode(try tamper(bytes) { $0["format"] = .string("escrow-vault") }, source: "a")
        }
        expectEscrowError(.malformedFile) {
            _ = try IdentityFile.decode(try tamper(bytes) { $0["extra"] = .int(1) }, source: "a")
        }
        expectEscrowError(.malformedFile) {
            _ = try IdentityFile.decode(try tamper(bytes) { $0["kdf"] = nil }, source: "a")
        }
        expectEscrowError(.invalidInput) {
            _ = try IdentityFile.decode(
                try tamper(bytes) {
                    guard case .object(var kdf) = $0["kdf"] else { return }
                    kdf["memory_bytes"] = .int(1 << 40)
                    $0["kdf"] = .object(kdf)
                },
                source: "a"
            )
        }
        expectEscrowError(.unsupportedVersion) {
            _ = try IdentityFile.decode(
                try tamper(bytes) {
                    guard case .object(var kdf) = $0["kdf"] else { return }
                    kdf["algorithm"] = .string("scrypt")
                    $0["kdf"] = .object(kdf)
                },
                source: "a"
            )
        }
    }

    @Test func passphraseFromFile() throws {
        let directory = try TemporaryDirectory()
        try writeFile(directory.file("p1"), "first line\nsecond line\n")
        #expect(string(try PassphraseFile.read(directory.file("p1"))) == "first line")
        try writeFile(directory.file("p2"), "windows\r\n")
        #expect(string(try PassphraseFile.read(directory.file("p2"))) == "windows")
        try writeFile(directory.file("p3"), "no newline")
        #expect(string(try PassphraseFile.read(directory.file("p3"))) == "no newline")
        try writeFile(directory.file("p4"), "\nsecond")
        expectEscrowError(.invalidInput) { _ = try PassphraseFile.read(directory.file("p4")) }
        expectEscrowError(.notFound) { _ = try PassphraseFile.read(directory.file("missing")) }
    }
}
