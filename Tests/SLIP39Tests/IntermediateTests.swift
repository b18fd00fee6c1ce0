import Sodium
import Testing

@testable import SLIP39

/// Every layer of `intermediates.json`: decoded fields and word indices (see `MnemonicCodecTests`), the recovered
/// group shares, the encrypted master secret, the Feistel parameters and both decryptions.
@Suite struct IntermediateTests {
    static let vectors: [Vectors.Intermediates.Vector] = (try? Vectors.intermediates()) ?? []
    static let mnemonics: [String: [String]] = Dictionary(
        uniqueKeysWithValues: ((try? Vectors.published()) ?? []).map { ($0.description, $0.mnemonics) }
    )

    @Test func allIntermediateVectorsAreLoaded() {
        #expect(Self.vectors.count == 15)
    }

    @Test(arguments: vectors)
    func layers(vector: Vectors.Intermediates.Vector) throws {
        let shares = try decodeShares(try #require(Self.mnemonics[vector.description]))

        // Member level: one recovered group share per group index present.
        let groups = try SLIP39.checkedGroups(shares)
        let groupShares = try SLIP39.recoverGroupShares(shares, groups: groups)
        let length = shares[0].value.count
        #expect(groups.count == vector.recoveredGroupSharesHex.count)
        for (position, group) in groups.enumerated() {
            let row = Array(groupShares.bytes[(position * length)..<((position + 1) * length)])
            #expect(Hex.encode(row) == vector.recoveredGroupSharesHex[String(group.index)])
        }

        // Group level: the encrypted master secret and its parameters.
        let encrypted = try SLIP39.recoverEncryptedMasterSecret(from: shares)
        #expect(encrypted.ciphertext.hex == vector.encryptedMasterSecretHex)
        #expect(encrypted.identifier == vector.feistel.identifier)
        #expect(encrypted.isExtendable == vector.feistel.extendable)
        #expect(encrypted.iterationExponent == vector.feistel.iterationExponent)

        // The Feistel step: its public parameters, both directions, both passphrases.
        #expect(
            Hex.encode(FeistelCipher.saltPrefix(identifier: encrypted.identifier, isExtendable: encrypted.isExtendable))
                == vector.feistel.saltPrefixHex
        )
        #expect(
            FeistelCipher.iterationsPerRound(iterationExponent: encrypted.iterationExponent)
                == vector.feistel.pbkdf2IterationsPerRound
        )
        let masterSecret = encrypted.decrypt(passphrase: .ascii(vector.passphrase))
        #expect(masterSecret.hex == vector.masterSecretHex)
        #expect(encrypted.decrypt(passphrase: .ascii("")).hex == vector.masterSecretEmptyPassphraseHex)
        let reEncrypted = try SLIP39.EncryptedMasterSecret(
            encrypting: masterSecret,
            passphrase: .ascii(vector.passphrase),
            identifier: encrypted.identifier,
            isExtendable: encrypted.isExtendable,
            iterationExponent: encrypted.iterationExponent
        )
        #expect(reEncrypted.ciphertext.hex == vector.encryptedMasterSecretHex)
    }
}

extension Vectors.Intermediates.Vector: CustomStringConvertible {}
