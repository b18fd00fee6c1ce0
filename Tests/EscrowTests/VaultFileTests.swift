import Sodium
import Testing

@testable import Escrow

@Suite struct VaultFileTests {
    let custodians: [CustodianIdentity]

    init() throws {
        try Sodium.initialize()
        custodians = try ["alice", "bob", "carol"].map(identity)
    }

    func signedVault() throws -> (Vault, [UInt8]) {
        var rng = try deterministicRandom()
        var vault = try KeyCeremony.run(
            name: "acme",
            threshold: 2,
            custodians: custodians.map(\.publicIdentity),
            metadata: ["account_id": "123456789012", "org_role": "member"],
            writer: custodians[0],
            time: UTCTime(secondsSinceEpoch: 1_700_000_000),
            using: &rng
        )
        let prepared = try EntryInput.prepare(
            secure("otpauth://totp/AWS:root?secret=JBSWY3DPEHPK3PXP"),
            kind: .totp,
            entryName: "mfa"
        )
        try vault.deposit(
            entry: "mfa",
            kind: .totp,
            prepared: prepared,
            depositor: custodians[1],
            at: UTCTime(secondsSinceEpoch: 1_700_000_100)
        )
        try vault.sign(by: custodians[1], at: UTCTime(secondsSinceEpoch: 1_700_000_100))
        return (vault, try vault.encoded())
    }

    @Test func roundTrip() throws {
        let (vault, bytes) = try signedVault()
        let decoded = try Vault.decode(bytes, source: "vaults/acme.json")
        #expect(decoded == vault)
        #expect(try decoded.encoded() == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"created_at\": \"2023-11-14T22:13:20Z\",\n"))
        #expect(text.contains("\"format\": \"escrow-vault\""))
        #expect(text.contains("\"issuer\": \"AWS\""))
        #expect(!text.contains("JBSWY3DPEHPK3PXP"))
    }

    func edit(_ bytes: [UInt8], _ body: (inout JSONValue) -> Void) throws -> [UInt8] {
        var value = try JSONParser.parse(bytes, source: "t")
        body(&value)
        return JSONWriter.pretty(value)
    }

    func set(_ value: inout JSONValue, _ path: [String], _ new: JSONValue) {
        guard let first = path.first else {
            value = new
            return
        }
        if case .object(var members) = value {
            var child = members[first] ?? .null
            set(&child, Array(path.dropFirst()), new)
            members[first] = child
            value = .object(members)
        } else if case .array(var elements) = value, let index = Int(first) {
            set(&elements[index], Array(path.dropFirst()), new)
            value = .array(elements)
        }
    }

    @Test(arguments: [
        ["state"], ["policy", "threshold"], ["metadata", "account_id"], ["generation"], ["name"], ["updated_at"],
        ["policy", "custodians", "0", "x"], ["shares", "envelopes", "1", "digest"],
        ["entries", "mfa", "versions", "0", "metadata", "digits"],
    ])
    func handEditsBreakTheSignature(path: [String]) throws {
        let (_, bytes) = try signedVault()
        let replacement: JSONValue
        switch path.last {
        case "state": replacement = .string("closed")
        case "threshold": replacement = .int(3)
        case "account_id": replacement = .string("999999999999")
        case "generation": replacement = .int(2)
        case "name": replacement = .string("globex")
        case "updated_at": replacement = .string("2030-01-01T00:00:00Z")
        case "x": replacement = .int(9)
        case "digest": replacement = .string(String(repeating: "0", count: 64))
        default: replacement = .string("8")
        }
        let edited = try edit(bytes) { set(&$0, path, replacement) }
        let error = expectEscrowError(.tampered) { _ = try Vault.decode(edited, source: "vaults/acme.json") }
        #expect(error?.message.hasPrefix("vaults/acme.json") == true)
    }

    @Test func reSigningWithAnotherKeyIsCaughtByTheDepositSignature() throws {
        // An attacker who re-signs the whole file with their own key still cannot alter a deposit: its signature fails.
        let (vault, _) = try signedVault()
        var forged = vault
        forged.entries["mfa"]?.versions[0].metadata["digits"] = "8"
        try forged.sign(by: try identity("mallory"), at: UTCTime(secondsSinceEpoch: 1_700_000_200))
        let error = expectEscrowError(.tampered) { _ = try Vault.decode(try forged.encoded(), source: "v") }
        #expect(error?.message.contains("entry 'mfa' version 1") == true)
    }

    /// Edits the file and re-signs it as its last writer (bob), so only the structural checks can object.
    func editSigned(_ bytes: [UInt8], _ body: (inout JSONValue) -> Void) throws -> [UInt8] {
        var value = try JSONParser.parse(bytes, source: "t")
        body(&value)
        let message = Array("escrow-vault-v1\n".utf8) + JSONWriter.canonical(value.removing("signature"))
        return JSONWriter.pretty(value.setting("signature", to: .string(Base64URL.encode(custodians[1].sign(message)))))
    }

    @Test func resigningReproducesTheSignature() throws {
        let (_, bytes) = try signedVault()
        #expect(try Vault.decode(try editSigned(bytes) { _ in }, source: "v").signature.bytes.count == 64)
    }

    @Test func structureChecks() throws {
        let (_, bytes) = try signedVault()
        expectEscrowError(.unsupportedVersion) {
            _ = try Vault.decode(try edit(bytes) { set(&$0, ["version"], .int(2)) }, source: "v")
        }
        expectEscrowError(.unsupportedVersion) {
            _ = try Vault.decode(try edit(bytes) { set(&$0, ["format"], .string("escrow-roster")) }, source: "v")
        }
        expectEscrowError(.malformedFile) {
            _ = try Vault.decode(try edit(bytes) { set(&$0, ["surprise"], .int(1)) }, source: "v")
        }
        expectEscrowError(.malformedFile) {
            _ = try Vault.decode(try edit(bytes) { set(&$0, ["state"], .string("frozen")) }, source: "v")
        }
        expectEscrowError(.malformedFile) { _ = try Vault.decode(Array(bytes.prefix(bytes.count / 2)), source: "v") }
        let structural: [(String, [String], JSONValue)] = [
            ("public key must be 32 bytes", ["public_key"], .string("AAAA")),
            ("does not match the policy", ["shares", "envelopes", "0", "x"], .int(2)),
            ("should be current", ["entries", "mfa", "versions", "0", "state"], .string("superseded")),
            ("out of sequence", ["entries", "mfa", "versions", "0", "version"], .int(2)),
            ("threshold", ["policy", "threshold"], .int(1)),
            ("generation must be at least 1", ["generation"], .int(0)),
            ("12 digits", ["metadata", "account_id"], .string("12")),
        ]
        for (reason, path, value) in structural {
            let error = expectEscrowError(.malformedFile) {
                _ = try Vault.decode(try editSigned(bytes) { set(&$0, path, value) }, source: "v")
            }
            #expect(error?.message.contains(reason) == true, "\(path): \(error?.message ?? "")")
        }
        // A policy fingerprint that does not match its key.
        let error = expectEscrowError(.tampered) {
            _ = try Vault.decode(
                try editSigned(bytes) {
                    set(
                        &$0,
                        ["policy", "custodians", "0", "fingerprint"],
                        .string(custodians[2].publicIdentity.fingerprint.description)
                    )
                },
                source: "v"
            )
        }
        #expect(error?.message.contains("'alice' fingerprint does not match") == true)
    }
}
