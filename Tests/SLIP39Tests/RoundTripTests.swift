import Shamir
import Sodium
import Testing

@testable import SLIP39

/// Random layouts, secret lengths 16/20/32, passphrases and exponents 0–2: split, print every mnemonic, decode it,
/// combine a random qualifying subset (shuffled, groups mixed), and get the secret back.
@Suite struct RoundTripTests {
    struct Layout: CustomStringConvertible {
        var seed: UInt64
        var secretLength: Int
        var groupThreshold: Int
        var groups: [SLIP39.Group]
        var passphrase: String
        var iterationExponent: Int
        var extendable: Bool

        var description: String {
            "seed \(seed): \(secretLength) bytes, \(groupThreshold) of [\(groups.map(\.description).joined(separator: ", "))], "
                + "e = \(iterationExponent), \(extendable ? "extendable" : "not extendable"), passphrase \(passphrase.count) chars"
        }
    }

    /// A reproducible list of layouts (exponent 2 costs 40,000 PBKDF2 iterations each way: used sparingly).
    static let layouts: [Layout] = (0..<12).map { index in
        var rng = SplitMix64(seed: 0x5EED_0000 + UInt64(index))
        let groupCount = Int.random(in: 1...4, using: &rng)
        let groups = (0..<groupCount).map { _ -> SLIP39.Group in
            let count = Int.random(in: 1...5, using: &rng)
            let threshold = count == 1 ? 1 : Int.random(in: 2...count, using: &rng)
            return SLIP39.Group(memberThreshold: threshold, memberCount: count)
        }
        let printable = (32...126).map { Character(UnicodeScalar(UInt8($0))) }
        let passphraseLength = index % 3 == 0 ? 0 : Int.random(in: 1...16, using: &rng)
        return Layout(
            seed: 0x5EED_0000 + UInt64(index),
            secretLength: [16, 20, 32][index % 3],
            groupThreshold: Int.random(in: 1...groupCount, using: &rng),
            groups: groups,
            passphrase: String((0..<passphraseLength).map { _ in printable.randomElement(using: &rng) ?? " " }),
            iterationExponent: index == 11 ? 2 : index % 2,
            extendable: index % 4 != 1
        )
    }

    @Test(arguments: layouts)
    func splitPrintDecodeCombine(layout: Layout) throws {
        var rng = SplitMix64(seed: layout.seed)
        var secretBytes = [UInt8](repeating: 0, count: layout.secretLength)
        secretBytes.withUnsafeMutableBytes { rng.fill($0) }
        let secret = SecureBytes(copying: secretBytes)
        let passphrase = SecureBytes.ascii(layout.passphrase)

        let groups = try SLIP39.split(
            secret,
            groupThreshold: layout.groupThreshold,
            groups: layout.groups,
            passphrase: passphrase,
            iterationExponent: layout.iterationExponent,
            extendable: layout.extendable,
            using: &rng
        )
        #expect(groups.map(\.count) == layout.groups.map(\.memberCount))
        let identifier = groups[0][0].identifier
        for (groupIndex, members) in groups.enumerated() {
            for (memberIndex, share) in members.enumerated() {
                #expect(share.identifier == identifier)
                #expect(share.isExtendable == layout.extendable)
                #expect(share.iterationExponent == layout.iterationExponent)
                #expect(share.groupIndex == groupIndex && share.memberIndex == memberIndex)
                #expect(share.groupThreshold == layout.groupThreshold && share.groupCount == layout.groups.count)
                #expect(share.memberThreshold == layout.groups[groupIndex].memberThreshold)
                #expect(share.value.count == layout.secretLength)
                let words = share.mnemonicText.split(separator: " ")
                #expect(words.count == 7 + (layout.secretLength * 8 + 9) / 10)
            }
        }

        // Choose the qualifying groups and members at random, print and decode them, shuffle, combine.
        let chosenGroups = Array(groups.indices.shuffled(using: &rng).prefix(layout.groupThreshold))
        var mnemonics: [String] = []
        for groupIndex in chosenGroups {
            let threshold = layout.groups[groupIndex].memberThreshold
            for share in groups[groupIndex].shuffled(using: &rng).prefix(threshold) {
                mnemonics.append(share.mnemonicText)
            }
        }
        mnemonics.shuffle(using: &rng)
        let recovered = try combineMnemonics(mnemonics, passphrase: layout.passphrase).get()
        #expect(recovered == secret)

        // One share fewer in some group is refused with the exact reason, before any decryption.
        if let last = mnemonics.indices.last {
            let fewer = Array(mnemonics[..<last])
            if case .failure(let error) = combineMnemonics(fewer, passphrase: layout.passphrase) {
                #expect(error.code == .wrongMemberCount || error.code == .insufficientGroups || error.code == .noShares)
            } else {
                Issue.record("a set one share short was accepted")
            }
        }
    }

    @Test func samplesOfEachLengthAndExponentArePresent() {
        #expect(Set(Self.layouts.map(\.secretLength)) == [16, 20, 32])
        #expect(Set(Self.layouts.map(\.iterationExponent)) == [0, 1, 2])
        #expect(Self.layouts.contains { $0.groups.count > 1 && $0.groupThreshold > 1 })
    }

    @Test func theDefaultsAreThoseOfTheReference() throws {
        var rng = SplitMix64(seed: 1)
        let secret = SecureBytes(copying: Array(repeating: 0x42, count: 16))
        let share = try SLIP39.split(
            secret,
            groupThreshold: 1,
            groups: [.init(memberThreshold: 1, memberCount: 1)],
            using: &rng
        )[0][0]
        #expect(share.isExtendable)
        #expect(share.iterationExponent == 1)
        #expect(try SLIP39.combine([share]) == secret)
        // A 1-of-1 share is the encrypted master secret itself.
        #expect(try SLIP39.recoverEncryptedMasterSecret(from: [share]).ciphertext == share.value)
    }

    @Test func aWrongPassphraseGivesAnotherSecretNotAnError() throws {
        var rng = SplitMix64(seed: 2)
        let secret = SecureBytes(copying: Array(0..<32))
        let shares = try SLIP39.split(
            secret,
            groupThreshold: 1,
            groups: [.init(memberThreshold: 2, memberCount: 3)],
            passphrase: .ascii("correct horse"),
            iterationExponent: 0,
            using: &rng
        )[0]
        #expect(try SLIP39.combine(Array(shares[1...]), passphrase: .ascii("correct horse")) == secret)
        let other = try SLIP39.combine(Array(shares[1...]), passphrase: .ascii("battery staple"))
        #expect(other.count == 32 && other != secret)
    }
}
