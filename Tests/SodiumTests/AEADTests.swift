import Sodium
import Testing

@Suite struct AEADTests {
    @Test func roundTripWithAssociatedData() throws {
        let key = AEAD.generateKey()
        #expect(key.count == 32)
        let plaintext = SecureBytes(copying: "root password: hunter2".bytes)
        let ad = "vault:acme entry:root".bytes
        let sealed = try AEAD.seal(plaintext, key: key, associatedData: ad)
        #expect(sealed.count == plaintext.count + 40)
        #expect(try AEAD.open(sealed, key: key, associatedData: ad) == plaintext)
        // Random nonces: sealing twice never gives the same bytes.
        #expect(try AEAD.seal(plaintext, key: key, associatedData: ad) != sealed)
    }

    @Test func emptyPlaintextRoundTrips() throws {
        let key = AEAD.generateKey()
        let sealed = try AEAD.seal(SecureBytes(count: 0), key: key)
        #expect(sealed.count == AEAD.overhead)
        #expect(try AEAD.open(sealed, key: key).count == 0)
    }

    @Test func everySingleBitFlipIsRejected() throws {
        let key = AEAD.generateKey()
        let plaintext = SecureBytes.random(count: 32)
        let ad = "vault:acme gen:3".bytes
        let sealed = try AEAD.seal(plaintext, key: key, associatedData: ad)
        // Nonce, ciphertext and tag.
        for bit in 0..<(sealed.count * 8) {
            var bad = sealed
            bad[bit / 8] ^= 1 << (bit % 8)
            #expect(throws: SodiumError(.authenticationFailed, "")) {
                try AEAD.open(bad, key: key, associatedData: ad)
            }
        }
        // Associated data.
        for bit in 0..<(ad.count * 8) {
            var bad = ad
            bad[bit / 8] ^= 1 << (bit % 8)
            #expect(throws: SodiumError(.authenticationFailed, "")) {
                try AEAD.open(sealed, key: key, associatedData: bad)
            }
        }
        #expect(throws: SodiumError(.authenticationFailed, "")) {
            try AEAD.open(sealed, key: AEAD.generateKey(), associatedData: ad)
        }
    }

    @Test func wrongLengthsAreErrorsNotCrashes() throws {
        #expect(throws: SodiumError(.invalidLength, "")) {
            try AEAD.seal(SecureBytes(count: 4), key: SecureBytes(count: 16))
        }
        #expect(throws: SodiumError(.invalidLength, "")) {
            try AEAD.open([UInt8](repeating: 0, count: 39), key: AEAD.generateKey())
        }
    }

    @Test func sealedBoxEverySingleBitFlipIsRejected() throws {
        let recipient = BoxKeyPair()
        let sealed = try SealedBox.seal(SecureBytes.random(count: 32), to: recipient.publicKey)
        for bit in 0..<(sealed.count * 8) {
            var bad = sealed
            bad[bit / 8] ^= 1 << (bit % 8)
            #expect(throws: SodiumError(.authenticationFailed, "")) { try SealedBox.open(bad, with: recipient) }
        }
        #expect(throws: SodiumError(.invalidLength, "")) { try SealedBox.open([1, 2, 3], with: recipient) }
    }

    @Test func precomputedSharedKeyWorksBothWaysAndDetectsTampering() throws {
        let alice = BoxKeyPair()
        let bob = BoxKeyPair()
        let aliceSide = try BoxSharedKey(publicKey: bob.publicKey, secretKey: alice.secretKey)
        let bobSide = try BoxSharedKey(publicKey: alice.publicKey, secretKey: bob.secretKey)
        let share = SecureBytes.random(count: 33)
        let sealed = aliceSide.seal(share)
        #expect(sealed.count == 33 + BoxSharedKey.overhead)
        #expect(try bobSide.open(sealed) == share)
        for bit in 0..<(sealed.count * 8) {
            var bad = sealed
            bad[bit / 8] ^= 1 << (bit % 8)
            #expect(throws: SodiumError(.authenticationFailed, "")) { try bobSide.open(bad) }
        }
        let mallory = try BoxSharedKey(publicKey: BoxKeyPair().publicKey, secretKey: bob.secretKey)
        #expect(throws: SodiumError(.authenticationFailed, "")) { try mallory.open(sealed) }
    }

    @Test func derivedKeysAgreeAcrossSidesAndSeparateContexts() throws {
        let ephemeral = BoxKeyPair()
        let custodian = BoxKeyPair()
        let sender = try BoxSharedKey(publicKey: custodian.publicKey, secretKey: ephemeral.secretKey)
        let receiver = try BoxSharedKey(publicKey: ephemeral.publicKey, secretKey: custodian.secretKey)
        let context = "escrow/share-envelope/v1".bytes
        #expect(sender.derivedKey(context: context) == receiver.derivedKey(context: context))
        #expect(sender.derivedKey(context: context) != sender.derivedKey(context: "other".bytes))
        let share = SecureBytes.random(count: 32)
        let sealed = try AEAD.seal(share, key: sender.derivedKey(context: context), associatedData: [1, 2, 3])
        #expect(try AEAD.open(sealed, key: receiver.derivedKey(context: context), associatedData: [1, 2, 3]) == share)
    }

    @Test func boxKeyPairRebuildsPublicKeyFromSecret() throws {
        let keys = BoxKeyPair()
        #expect(try BoxKeyPair(secretKey: keys.secretKey).publicKey == keys.publicKey)
        #expect(try keys.secretKey.withUnsafeBytes { try BoxKeyPair.publicKey(forSecretKey: $0) } == keys.publicKey)
        // RFC 7748 section 6.1: Alice's key pair.
        let alice = [UInt8](hex: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
        let alicePublic = try alice.withUnsafeBytes { try BoxKeyPair.publicKey(forSecretKey: $0) }
        #expect(alicePublic.hex == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(throws: SodiumError(.invalidLength, "")) {
            try [UInt8](repeating: 1, count: 31).withUnsafeBytes { try BoxKeyPair.publicKey(forSecretKey: $0) }
        }
    }

    @Test func openIntoACallerBufferMatchesOpenAndWipesOnFailure() throws {
        let key = AEAD.generateKey()
        let ad = "vault:acme gen:3".bytes
        let shares = SecureBytes.random(count: 3 * 32)
        let sealed = try (0..<3).map { index in
            try shares.withUnsafeBytes {
                try AEAD.seal(
                    UnsafeRawBufferPointer(rebasing: $0[index * 32..<(index + 1) * 32]),
                    key: key,
                    associatedData: ad
                )
            }
        }
        let batch = SecureBytes(count: 3 * 32)
        for (index, box) in sealed.enumerated() {
            try box.withUnsafeBytes { input in
                try batch.withUnsafeMutableBytes { output in
                    let slot = UnsafeMutableRawBufferPointer(rebasing: output[index * 32..<(index + 1) * 32])
                    try AEAD.open(input, key: key, associatedData: ad, into: slot)
                }
            }
        }
        #expect(batch == shares)
        var bad = sealed[1]
        bad[30] ^= 1
        let output = SecureBytes(copying: [UInt8](repeating: 0xAA, count: 32))
        #expect(throws: SodiumError(.authenticationFailed, "")) {
            try bad.withUnsafeBytes { input in
                try output.withUnsafeMutableBytes { try AEAD.open(input, key: key, associatedData: ad, into: $0) }
            }
        }
        #expect(output == SecureBytes(count: 32), "a failed open leaves no partial plaintext")
        #expect(throws: SodiumError(.invalidLength, "")) {
            try sealed[0].withUnsafeBytes { input in
                try output.withUnsafeMutableBytes {
                    let short = UnsafeMutableRawBufferPointer(rebasing: $0[0..<31])
                    try AEAD.open(input, key: key, associatedData: ad, into: short)
                }
            }
        }
    }
}
