import SLIP39
import Sodium

/// `SLIP39.Share(mnemonic:)` on arbitrary bytes: an accepted mnemonic's canonical form parses to the same share and is
/// a fixed point.
enum SLIP39ShareTarget {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let share = try SLIP39.Share(mnemonic: SecureBytes(copying: bytes), label: "share 1")
            let mnemonic = share.mnemonic()
            let again = try SLIP39.Share(mnemonic: mnemonic, label: "again")
            require(again.mnemonic() == mnemonic, "slip39: the mnemonic is not a fixed point")
            require(again.value == share.value, "slip39: the value changes on re-encoding")
            require(
                again.identifier == share.identifier && again.groupIndex == share.groupIndex
                    && again.memberIndex == share.memberIndex && again.groupThreshold == share.groupThreshold
                    && again.memberThreshold == share.memberThreshold && again.groupCount == share.groupCount
                    && again.iterationExponent == share.iterationExponent && again.isExtendable == share.isExtendable,
                "slip39: the header changes on re-encoding"
            )
        } catch {
            checkError(error, "slip39 share")
        }
    }
}

/// `SLIP39.recoverEncryptedMasterSecret` over fuzzer-chosen subsets of a fixed 2-of-3 group set (groups 2-of-3,
/// 1-of-1, 3-of-5), with word edits: whatever is accepted recovers exactly the original encrypted master secret.
/// (Decryption itself is PBKDF2 and far too slow for fuzzing; it is tested by the vectors.)
enum SLIP39CombineTarget {
    struct Material: @unchecked Sendable {
        let mnemonics: [[UInt8]]
        let ciphertext: SecureBytes
        let identifier: Int
    }

    static let material: Material = {
        _ = try? Sodium.initialize()
        var random = SeededSource(state: 39)
        do {
            let secret = SecureBytes(copying: Array(0..<16))
            let groups = try SLIP39.split(
                secret,
                groupThreshold: 2,
                groups: [
                    .init(memberThreshold: 2, memberCount: 3), .init(memberThreshold: 1, memberCount: 1),
                    .init(memberThreshold: 3, memberCount: 5),
                ],
                iterationExponent: 0,
                using: &random
            )
            let shares = groups.flatMap { $0 }
            let encrypted = try SLIP39.recoverEncryptedMasterSecret(from: [shares[0], shares[1], shares[3]])
            return Material(
                mnemonics: shares.map { $0.mnemonic().withUnsafeBytes { Array($0) } },
                ciphertext: encrypted.ciphertext,
                identifier: encrypted.identifier
            )
        } catch {
            fail("slip39 fixture: \(error)")
        }
    }()

    static func run(_ input: inout FuzzInput) {
        let pool = material.mnemonics
        let count = Int(input.byte() % 10) + 1
        var mnemonics: [[UInt8]] = []
        for _ in 0..<count {
            var mnemonic = pool[Int(input.byte()) % pool.count]
            let edit = input.byte()
            if edit & 0xC0 == 0xC0 {
                // Replace one word by a word of another share (every word stays in the list) or swap two words.
                var words = mnemonic.split(separator: UInt8(ascii: " ")).map(Array.init)
                let other = pool[Int(input.byte()) % pool.count].split(separator: UInt8(ascii: " ")).map(Array.init)
                let target = Int(input.byte()) % words.count
                if edit & 1 == 0 {
                    words[target] = other[Int(input.byte()) % other.count]
                } else {
                    words.swapAt(target, Int(input.byte()) % words.count)
                }
                mnemonic = Array(words.joined(separator: [UInt8(ascii: " ")]))
            } else if edit & 0xC0 == 0x80, !mnemonic.isEmpty {
                mnemonic[Int(input.byte()) % mnemonic.count] = input.byte()
            }
            mnemonics.append(mnemonic)
        }
        do {
            var shares: [SLIP39.Share] = []
            for (index, mnemonic) in mnemonics.enumerated() {
                shares.append(try SLIP39.Share(mnemonic: SecureBytes(copying: mnemonic), label: "share \(index + 1)"))
            }
            let encrypted = try SLIP39.recoverEncryptedMasterSecret(from: shares)
            require(encrypted.identifier == material.identifier, "slip39 combine: another identifier")
            require(encrypted.ciphertext == material.ciphertext, "slip39 combine: a wrong secret was accepted")
        } catch {
            checkError(error, "slip39 combine")
        }
    }
}
