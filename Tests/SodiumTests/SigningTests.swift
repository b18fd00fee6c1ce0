import Sodium
import Testing

/// RFC 8032 section 7.1, TEST 1-3 (Ed25519).
@Suite struct SigningTests {
    struct Vector: Sendable {
        let seed: String, publicKey: String, message: String, signature: String
    }

    static let rfc8032: [Vector] = [
        Vector(
            seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature:
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        Vector(
            seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature:
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        Vector(
            seed: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            message: "af82",
            signature:
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ]

    @Test(arguments: rfc8032)
    func rfc8032KnownAnswers(_ vector: Vector) throws {
        let keys = try SigningKeyPair(seed: SecureBytes(copying: [UInt8](hex: vector.seed)))
        #expect(keys.publicKey.hex == vector.publicKey)
        let message = [UInt8](hex: vector.message)
        let signature = keys.signature(for: message)
        #expect(signature.hex == vector.signature)
        #expect(SigningKeyPair.isValidSignature(signature, for: message, publicKey: keys.publicKey))
        #expect(keys.seed == SecureBytes(copying: [UInt8](hex: vector.seed)))
    }

    @Test func everyBitFlipOfSignatureOrMessageIsRejected() {
        let keys = SigningKeyPair()
        let message = "approve request 42".bytes
        let signature = keys.signature(for: message)
        for bit in 0..<(signature.count * 8) {
            var bad = signature
            bad[bit / 8] ^= 1 << (bit % 8)
            #expect(!SigningKeyPair.isValidSignature(bad, for: message, publicKey: keys.publicKey))
        }
        for bit in 0..<(message.count * 8) {
            var bad = message
            bad[bit / 8] ^= 1 << (bit % 8)
            #expect(!SigningKeyPair.isValidSignature(signature, for: bad, publicKey: keys.publicKey))
        }
        #expect(!SigningKeyPair.isValidSignature(signature, for: message, publicKey: SigningKeyPair().publicKey))
        #expect(!SigningKeyPair.isValidSignature(Array(signature.dropLast()), for: message, publicKey: keys.publicKey))
    }

    @Test func sealedBoxRoundTripAcrossEd25519ToX25519Conversion() throws {
        let identity = SigningKeyPair()
        let boxPublic = try SigningKeyPair.boxPublicKey(fromSigningKey: identity.publicKey)
        let boxKeys = try identity.boxKeyPair()
        #expect(boxKeys.publicKey == boxPublic)
        let secret = SecureBytes(copying: "share of vault 7".bytes)
        let sealed = try SealedBox.seal(secret, to: boxPublic)
        #expect(sealed.count == secret.count + SealedBox.overhead)
        let opened = try SealedBox.open(sealed, with: boxKeys)
        #expect(opened == secret)
        #expect(throws: SodiumError(.authenticationFailed, "")) {
            try SealedBox.open(sealed, with: try SigningKeyPair().boxKeyPair())
        }
    }

    @Test func invalidPublicKeysAreRefused() {
        #expect(throws: SodiumError(.invalidLength, "")) {
            try SigningKeyPair.boxPublicKey(fromSigningKey: [1, 2, 3])
        }
        #expect(throws: SodiumError(.invalidLength, "")) {
            try SigningKeyPair(seed: SecureBytes(count: 31))
        }
    }
}
