import Sodium
import Testing

@testable import Escrow

@Suite struct KeyCeremonyTests {
    init() throws { try Sodium.initialize() }

    func ceremony(threshold: Int = 3, count: Int = 5) throws -> (Vault, [CustodianIdentity]) {
        let custodians = try (0..<count).map { try identity("c\($0)") }
        var rng = try deterministicRandom()
        let vault = try KeyCeremony.run(
            name: "acme",
            threshold: threshold,
            custodians: custodians.map(\.publicIdentity),
            metadata: ["account_id": "123456789012"],
            writer: custodians[0],
            time: UTCTime(secondsSinceEpoch: 1_700_000_000),
            using: &rng
        )
        return (vault, custodians)
    }

    func shares(_ vault: Vault, _ custodians: [CustodianIdentity]) throws -> [MasterKey.Share] {
        try zip(vault.shares.envelopes, custodians).map { envelope, custodian in
            MasterKey.Share(
                x: envelope.x,
                value: try envelope.open(
                    with: custodian,
                    shareSet: vault.shares,
                    vaultID: vault.id.bytes,
                    generation: vault.generation
                )
            )
        }
    }

    @Test func everyQuorumRecoversTheKey() throws {
        let (vault, custodians) = try ceremony()
        #expect(vault.policy.threshold == 3)
        #expect(vault.policy.custodians.map(\.x) == [1, 2, 3, 4, 5])
        #expect(vault.policy.custodians.map(\.name) == custodians.map(\.publicIdentity.name))
        let all = try shares(vault, custodians)
        #expect(Set(all.map { Hex.encode($0.value.withUnsafeBytes { Array($0) }) }).count == 5)
        // Every 3-subset (10 of them) recombines to the vault key.
        for a in 0..<5 {
            for b in (a + 1)..<5 {
                for c in (b + 1)..<5 {
                    let key = try MasterKey.combine([all[a], all[b], all[c]], publicKey: vault.publicKey.bytes)
                    #expect(key.publicKey == vault.publicKey.bytes)
                }
            }
        }
        #expect(try MasterKey.combine(all, publicKey: vault.publicKey.bytes).publicKey == vault.publicKey.bytes)
    }

    @Test func belowThresholdDoesNotRecover() throws {
        let (vault, custodians) = try ceremony()
        let all = try shares(vault, custodians)
        expectEscrowError(.tampered) { _ = try MasterKey.combine([all[0], all[4]], publicKey: vault.publicKey.bytes) }
    }

    @Test func envelopesOpenOnlyForTheirCustodian() throws {
        let (vault, custodians) = try ceremony()
        expectEscrowError(.notAuthorized) {
            _ = try vault.shares.envelopes[0].open(
                with: custodians[1],
                shareSet: vault.shares,
                vaultID: vault.id.bytes,
                generation: 1
            )
        }
        // Moving bob's envelope into alice's slot (fingerprint rewritten) fails the AEAD binding.
        var moved = vault.shares.envelopes[1]
        moved.fingerprint = vault.shares.envelopes[0].fingerprint
        moved.custodian = "c0"
        expectEscrowError(.tampered) {
            _ = try moved.open(with: custodians[0], shareSet: vault.shares, vaultID: vault.id.bytes, generation: 1)
        }
        // Another generation or vault id.
        expectEscrowError(.tampered) {
            _ = try vault.shares.envelopes[0].open(
                with: custodians[0],
                shareSet: vault.shares,
                vaultID: vault.id.bytes,
                generation: 2
            )
        }
        expectEscrowError(.tampered) {
            _ = try vault.shares.envelopes[0].open(
                with: custodians[0],
                shareSet: vault.shares,
                vaultID: [UInt8](repeating: 0, count: 16),
                generation: 1
            )
        }
    }

    @Test func aBadShareIsNamed() throws {
        let (vault, custodians) = try ceremony()
        var flipped = vault.shares.envelopes[2]
        flipped.sealedShare.bytes[30] ^= 0x01
        let error = expectEscrowError(.tampered) {
            _ = try flipped.open(with: custodians[2], shareSet: vault.shares, vaultID: vault.id.bytes, generation: 1)
        }
        #expect(error?.message.contains("'c2'") == true)
        // A wrong digest: the decrypted share is refused by name.
        var wrongDigest = vault.shares.envelopes[3]
        wrongDigest.digest.bytes[0] ^= 0x80
        let digestError = expectEscrowError(.tampered) {
            _ = try wrongDigest.open(
                with: custodians[3],
                shareSet: vault.shares,
                vaultID: vault.id.bytes,
                generation: 1
            )
        }
        #expect(digestError?.message == "the share of 'c3' does not match its recorded digest")
    }

    @Test func depositsOpenWithTheRecoveredKeyAndAreBound() throws {
        var (vault, custodians) = try ceremony()
        let prepared = try EntryInput.prepare(
            secure("S3cret-root-password!"),
            kind: .password,
            entryName: "root-password"
        )
        let version = try vault.deposit(
            entry: "root-password",
            kind: .password,
            prepared: prepared,
            depositor: custodians[1],
            at: UTCTime(secondsSinceEpoch: 1)
        )
        try vault.sign(by: custodians[1], at: UTCTime(secondsSinceEpoch: 1))
        let key = try MasterKey.combine(
            Array(try shares(vault, custodians).suffix(3)),
            publicKey: vault.publicKey.bytes
        )
        let value = try EntryPlaintext.open(
            version.sealedValue.bytes,
            masterKey: key,
            vaultID: vault.id.bytes,
            entry: "root-password",
            kind: .password,
            version: 1
        )
        #expect(string(value) == "S3cret-root-password!")
        // The same sealed bytes presented as another entry, kind or version are refused.
        expectEscrowError(.tampered) {
            _ = try EntryPlaintext.open(
                version.sealedValue.bytes,
                masterKey: key,
                vaultID: vault.id.bytes,
                entry: "other",
                kind: .password,
                version: 1
            )
        }
        expectEscrowError(.tampered) {
            _ = try EntryPlaintext.open(
                version.sealedValue.bytes,
                masterKey: key,
                vaultID: vault.id.bytes,
                entry: "root-password",
                kind: .note,
                version: 1
            )
        }
        expectEscrowError(.tampered) {
            _ = try EntryPlaintext.open(
                version.sealedValue.bytes,
                masterKey: key,
                vaultID: vault.id.bytes,
                entry: "root-password",
                kind: .password,
                version: 2
            )
        }
    }

    @Test func historyKeepsSupersededVersions() throws {
        var (vault, custodians) = try ceremony()
        for (index, text) in ["first-password-value", "second-password-value"].enumerated() {
            let prepared = try EntryInput.prepare(secure(text), kind: .password, entryName: "root")
            try vault.deposit(
                entry: "root",
                kind: .password,
                prepared: prepared,
                depositor: custodians[0],
                at: UTCTime(secondsSinceEpoch: Int64(index))
            )
        }
        let entry = try #require(vault.entries["root"])
        #expect(entry.versions.map(\.version) == [1, 2])
        #expect(entry.versions.map(\.state) == [.superseded, .current])
        let note = try EntryInput.prepare(secure("text"), kind: .note, entryName: "root")
        expectEscrowError(.conflict) {
            try vault.deposit(
                entry: "root",
                kind: .note,
                prepared: note,
                depositor: custodians[0],
                at: UTCTime(secondsSinceEpoch: 9)
            )
        }
        vault.state = .closed
        expectEscrowError(.conflict) {
            try vault.deposit(
                entry: "n",
                kind: .note,
                prepared: note,
                depositor: custodians[0],
                at: UTCTime(secondsSinceEpoch: 9)
            )
        }
    }

    @Test func refusesBadPolicies() throws {
        let custodians = try (0..<3).map { try identity("c\($0)") }
        var rng = try deterministicRandom()
        func run(_ threshold: Int, _ list: [PublicIdentity]) throws {
            _ = try KeyCeremony.run(
                name: "v",
                threshold: threshold,
                custodians: list,
                metadata: [:],
                writer: custodians[0],
                time: UTCTime(secondsSinceEpoch: 0),
                using: &rng
            )
        }
        expectEscrowError(.invalidInput) { try run(1, custodians.map(\.publicIdentity)) }
        expectEscrowError(.invalidInput) { try run(4, custodians.map(\.publicIdentity)) }
        expectEscrowError(.invalidInput) { try run(2, [custodians[0].publicIdentity]) }
        expectEscrowError(.invalidInput) { try run(2, [custodians[0].publicIdentity, custodians[0].publicIdentity]) }
    }
}
