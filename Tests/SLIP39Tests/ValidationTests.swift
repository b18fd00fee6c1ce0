import Foundation
import Sodium
import Testing

@testable import SLIP39

/// Refusals beyond the published vectors: splitting parameters, single mnemonics, and sets of shares.
@Suite struct ValidationTests {
    static let secret16 = SecureBytes(copying: Array(0..<16))

    private func splitError(
        length: Int = 16,
        groupThreshold: Int = 1,
        groups: [(Int, Int)] = [(2, 3)],
        passphrase: [UInt8] = [],
        exponent: Int = 0
    ) -> SLIP39Error? {
        var rng = SplitMix64(seed: 3)
        do {
            _ = try SLIP39.split(
                SecureBytes(copying: [UInt8](repeating: 7, count: length)),
                groupThreshold: groupThreshold,
                groups: groups.map { SLIP39.Group(memberThreshold: $0.0, memberCount: $0.1) },
                passphrase: SecureBytes(copying: passphrase),
                iterationExponent: exponent,
                using: &rng
            )
            return nil
        } catch {
            return error
        }
    }

    @Test func splitRefusesBadParameters() {
        #expect(splitError(length: 14)?.code == .invalidSecretLength)
        #expect(splitError(length: 17)?.code == .invalidSecretLength)
        #expect(splitError(length: 1026)?.code == .invalidSecretLength)
        #expect(splitError(groups: [])?.code == .invalidShareCount)
        #expect(splitError(groups: Array(repeating: (1, 1), count: 17))?.code == .invalidShareCount)
        #expect(splitError(groups: [(2, 17)])?.code == .invalidShareCount)
        #expect(splitError(groups: [(0, 3)])?.code == .invalidThreshold)
        #expect(splitError(groups: [(4, 3)])?.code == .invalidThreshold)
        #expect(splitError(groups: [(1, 2)])?.code == .invalidThreshold)
        #expect(splitError(groupThreshold: 0)?.code == .invalidThreshold)
        #expect(splitError(groupThreshold: 2)?.code == .invalidThreshold)
        #expect(splitError(exponent: 16)?.code == .invalidIterationExponent)
        #expect(splitError(exponent: -1)?.code == .invalidIterationExponent)
        #expect(splitError(passphrase: Array("tab\there".utf8))?.code == .invalidPassphrase)
        #expect(splitError(passphrase: [0x7F])?.code == .invalidPassphrase)
        #expect(splitError(passphrase: Array("café".utf8))?.code == .invalidPassphrase)
        #expect(splitError(passphrase: [0x1F])?.code == .invalidPassphrase)
        #expect(splitError(passphrase: Array((32...126).map { UInt8($0) })) == nil)
        #expect(splitError(groupThreshold: 16, groups: Array(repeating: (1, 1), count: 16)) == nil)
        #expect(splitError(groups: [(16, 16)]) == nil)
        #expect(splitError(length: 1024) == nil)
    }

    @Test func layoutMessagesNameTheGroup() {
        let error = splitError(groupThreshold: 1, groups: [(2, 3), (1, 2)])
        #expect(error?.code == .invalidThreshold)
        #expect(
            error?.message
                == "group 2 (1 of 2): a group with threshold 1 must have exactly one member (copy that share instead)"
        )
    }

    @Test func encryptedMasterSecretChecksItsFields() {
        #expect(throws: SLIP39Error(.invalidIdentifier, "")) {
            try SLIP39.EncryptedMasterSecret(
                ciphertext: Self.secret16,
                identifier: 1 << 15,
                isExtendable: false,
                iterationExponent: 0
            )
        }
        #expect(throws: SLIP39Error(.invalidSecretLength, "")) {
            try SLIP39.EncryptedMasterSecret(
                ciphertext: SecureBytes(count: 15),
                identifier: 0,
                isExtendable: false,
                iterationExponent: 0
            )
        }
    }

    // MARK: Single mnemonics

    /// A valid 20-word mnemonic (vector 1).
    static let valid =
        "duckling enlarge academic academic agency result length solution fridge kidney coal piece deal husband erode duke ajar critical decision keyboard"

    private func decodeError(_ text: String, label: String? = "line 4") -> SLIP39Error? {
        do {
            _ = try SLIP39.Share(mnemonic: text, label: label)
            return nil
        } catch {
            return error
        }
    }

    @Test func singleMnemonicRefusals() {
        #expect(decodeError("")?.code == .invalidMnemonic)
        #expect(decodeError(" \t \n")?.code == .invalidMnemonic)
        #expect(decodeError(Self.valid.replacingOccurrences(of: "fridge", with: "fridje"))?.code == .unknownWord)
        #expect(decodeError(String(repeating: "acid ", count: 900))?.code == .invalidLength)
        #expect(decodeError(Self.valid + " acid")?.code == .invalidLength)  // 21 words: 12 padding bits
        // Two adjacent words swapped: the checksum catches it.
        #expect(
            decodeError(Self.valid.replacingOccurrences(of: "fridge kidney", with: "kidney fridge"))?.code
                == .invalidChecksum
        )
        #expect(decodeError(Self.valid) == nil)
        #expect(decodeError(Self.valid.uppercased()) == nil)
        #expect(decodeError("  " + Self.valid.replacingOccurrences(of: " ", with: "\t ") + "\r\n") == nil)
    }

    @Test func unknownWordMessageNamesLineWordAndSuggestion() {
        let error = decodeError(Self.valid.replacingOccurrences(of: "fridge", with: "fridje"))
        #expect(error?.message == "line 4: word 9 is not in the SLIP-39 word list (did you mean \"fridge\"?)")
        // Without a label, the message starts with the reason.
        #expect(
            decodeError("acid acne acquire acrobat bogus", label: nil)?.message.hasPrefix("mnemonic: word 5") == true
        )
    }

    @Test func checksumCustomizationIsBoundToTheExtendableFlag() throws {
        // Flipping the extendable bit (word 2, bit 4) keeps the words valid but breaks the checksum.
        let share = try SLIP39.Share(mnemonic: Self.valid)
        var words = share.wordIndices().bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }
        words[1] ^= 1 << 4
        let text = words.map { SLIP39.Wordlist.words[Int($0)] }.joined(separator: " ")
        #expect(decodeError(text)?.code == .invalidChecksum)
    }

    @Test func nothingSecretInMessages() throws {
        // The message of a mismatched pair names lines and public parameters only.
        var rng = SplitMix64(seed: 9)
        let a = try SLIP39.split(
            Self.secret16,
            groupThreshold: 1,
            groups: [.init(memberThreshold: 2, memberCount: 2)],
            iterationExponent: 0,
            using: &rng
        )[0]
        let b = try SLIP39.split(
            Self.secret16,
            groupThreshold: 1,
            groups: [.init(memberThreshold: 2, memberCount: 2)],
            iterationExponent: 0,
            using: &rng
        )[0]
        let result = combineMnemonics([a[0].mnemonicText, b[1].mnemonicText], passphrase: "")
        guard case .failure(let error) = result else {
            Issue.record("accepted")
            return
        }
        #expect(error.code == .identifierMismatch)
        let words = Set(
            a[0].mnemonicText.split(separator: " ").map(String.init)
                + b[1].mnemonicText.split(separator: " ").map(String.init)
        )
        #expect(!error.message.split(separator: " ").contains { words.contains(String($0)) })
    }

    // MARK: Sets of shares

    private func shares(
        length: Int = 16,
        groupThreshold: Int,
        groups: [(Int, Int)],
        extendable: Bool = true,
        seed: UInt64 = 5
    ) throws -> [[SLIP39.Share]] {
        var rng = SplitMix64(seed: seed)
        return try SLIP39.split(
            SecureBytes(copying: [UInt8](repeating: 1, count: length)),
            groupThreshold: groupThreshold,
            groups: groups.map { SLIP39.Group(memberThreshold: $0.0, memberCount: $0.1) },
            iterationExponent: 0,
            extendable: extendable,
            using: &rng
        )
    }

    private func combineError(_ shares: [SLIP39.Share]) -> SLIP39Error? {
        do {
            _ = try SLIP39.recoverEncryptedMasterSecret(from: shares)
            return nil
        } catch {
            return error
        }
    }

    @Test func setRefusals() throws {
        let set = try shares(groupThreshold: 2, groups: [(2, 3), (1, 1), (3, 3)])
        #expect(combineError([])?.code == .noShares)
        #expect(combineError([set[0][0], set[0][1], set[1][0]]) == nil)
        #expect(
            combineError([set[0][0], set[0][1], set[1][0], set[2][0], set[2][1], set[2][2]])?.code == .tooManyGroups
        )
        #expect(combineError([set[0][0], set[0][1]])?.code == .insufficientGroups)
        #expect(combineError([set[0][0], set[0][1], set[0][2], set[1][0]])?.code == .wrongMemberCount)
        #expect(combineError([set[0][0], set[1][0]])?.code == .wrongMemberCount)
        // The same mnemonic twice is a duplicate member, not two shares.
        #expect(combineError([set[0][0], set[0][0], set[1][0]])?.code == .duplicateMemberIndex)

        // Same identifier and layout, different length: refused before interpolation.
        let long = try shares(length: 32, groupThreshold: 2, groups: [(2, 3), (1, 1), (3, 3)])
        #expect(long[0][0].identifier == set[0][0].identifier)
        #expect(combineError([set[0][0], long[0][1], set[1][0]])?.code == .lengthMismatch)

        // Same identifier, different extendable flag.
        let fixed = try shares(groupThreshold: 2, groups: [(2, 3), (1, 1), (3, 3)], extendable: false)
        #expect(combineError([set[0][0], fixed[0][1], set[1][0]])?.code == .extendableFlagMismatch)

        // Shares of two splits that happen to carry the same identifier and layout: only the digest can tell.
        let other = try shares(groupThreshold: 2, groups: [(2, 3), (1, 1), (3, 3)], seed: 6)
        let forged = try withIdentifier(set[0][0].identifier, other[0][1])
        #expect(combineError([set[0][0], forged, set[1][0]])?.code == .digestMismatch)
        // At the group level: a valid group of another split (same identifier) next to one of ours.
        let forgedGroup = try withIdentifier(set[0][0].identifier, other[1][0])
        #expect(combineError([set[0][0], set[0][1], forgedGroup])?.code == .digestMismatch)
    }

    @Test func setMessagesFallBackToPositions() throws {
        let set = try shares(groupThreshold: 1, groups: [(2, 2)])
        var a = set[0][0]
        var b = set[0][0]
        a.label = nil
        b.label = nil
        #expect(
            combineError([a, b])?.message
                == "share 1 and share 2 are both member 1 of group 1: give each share only once"
        )
    }

    /// The same share with another identifier (and a fresh checksum), as an attacker could write it.
    private func withIdentifier(_ identifier: Int, _ share: SLIP39.Share) throws -> SLIP39.Share {
        var header = share.header
        header.identifier = identifier
        return SLIP39.Share(header: header, value: share.value, label: "forged")
    }
}
