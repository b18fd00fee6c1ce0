import SLIP39
import Sodium

extension Checks {
    /// SLIP-0039: the Feistel cipher (PBKDF2-HMAC-SHA256 rounds) on a secret master secret under a secret
    /// passphrase, and the two-level split/recovery of the encrypted master secret (digest share included).
    /// Iteration exponent 0 keeps memcheck's run short; the rounds are the same code for any exponent.
    mutating func runSLIP39() {
        let master = SecureBytes(copying: Marks.randomSecret(32))
        Marks.secret(master)
        let passphrase = SecureBytes(copying: Array("constant time, measured".utf8))
        Marks.secret(passphrase)

        let encrypted = attempt("encrypt") {
            try SLIP39.EncryptedMasterSecret(
                encrypting: master,
                passphrase: passphrase,
                identifier: 0x1234,
                isExtendable: false,
                iterationExponent: 0
            )
        }
        expect(
            "SLIP39 Feistel encrypt + decrypt (EncryptedMasterSecret), 32 bytes",
            Marks.publicCopy(encrypted.decrypt(passphrase: passphrase)),
            equals: Marks.publicCopy(master)
        )

        // Two of three groups: 2-of-3 and 3-of-5 members (the 1-of-1 group is left out).
        var rng = SecretRandom()
        let groups = [
            SLIP39.Group(memberThreshold: 2, memberCount: 3),
            SLIP39.Group(memberThreshold: 3, memberCount: 5),
            SLIP39.Group(memberThreshold: 1, memberCount: 1),
        ]
        let shares = attempt("SLIP39 split") {
            try SLIP39.split(encrypted, groupThreshold: 2, groups: groups, using: &rng)
        }
        let chosen = Array(shares[0].suffix(2)) + Array(shares[1].prefix(3))
        let recovered = attempt("SLIP39 recover") { try SLIP39.recoverEncryptedMasterSecret(from: chosen) }
        expect(
            "SLIP39.split + recoverEncryptedMasterSecret, groups 2 of (2-of-3, 3-of-5, 1-of-1)",
            Marks.publicCopy(recovered.ciphertext),
            equals: Marks.publicCopy(encrypted.ciphertext)
        )
        let oneGroup = [
            SLIP39.Group(memberThreshold: 1, memberCount: 1),
            SLIP39.Group(memberThreshold: 1, memberCount: 1),
        ]
        let single = attempt("SLIP39 split 1-of-1") {
            try SLIP39.split(encrypted, groupThreshold: 1, groups: oneGroup, using: &rng)
        }
        let fromSingle = attempt("SLIP39 recover 1-of-1") { try SLIP39.recoverEncryptedMasterSecret(from: single[1]) }
        expect(
            "SLIP39.split + recoverEncryptedMasterSecret, threshold 1 (no digest share)",
            Marks.publicCopy(fromSingle.ciphertext),
            equals: Marks.publicCopy(encrypted.ciphertext)
        )

        // The whole path: encrypt and split, recover and decrypt. The first draw is the public identifier.
        var withIdentifier = SecretRandom(publicFills: 1)
        let full = attempt("SLIP39 split with passphrase") {
            try SLIP39.split(
                master,
                groupThreshold: 1,
                groups: [SLIP39.Group(memberThreshold: 3, memberCount: 5)],
                passphrase: passphrase,
                iterationExponent: 0,
                extendable: true,
                using: &withIdentifier
            )
        }
        let combined = attempt("SLIP39 combine") {
            try SLIP39.combine(Array(full[0].suffix(3)), passphrase: passphrase)
        }
        expect(
            "SLIP39.split(masterSecret, passphrase) + SLIP39.combine, 3-of-5",
            Marks.publicCopy(combined),
            equals: Marks.publicCopy(master)
        )
    }
}
