import SLIP39
import Shamir
import Sodium

/// Paths outside the gate (`ConstantTimeHarness probe-mnemonic`): run by hand to see what memcheck reports on code that
/// is not constant time yet, and to check a fix before the path joins ``Checks``. scripts/constant-time.sh does not
/// run them. Known reports are listed in ../../README.md.
enum Probes {
    /// SLIP-39 mnemonic text: `Share.mnemonic()` and `Share(mnemonic:)`. The four header words are public; the value
    /// words, the checksum words and the separators between them (their positions follow the secret words' lengths)
    /// are secret.
    static func mnemonic() {
        let master = SecureBytes(copying: Marks.randomSecret(16))
        var rng = SecretRandom()
        let shares: [[SLIP39.Share]]
        let encrypted: SLIP39.EncryptedMasterSecret
        do {
            encrypted = try SLIP39.EncryptedMasterSecret(
                encrypting: master,
                passphrase: SecureBytes(count: 0),
                identifier: 0x0BAD,
                isExtendable: true,
                iterationExponent: 0
            )
            shares = try SLIP39.split(
                encrypted,
                groupThreshold: 1,
                groups: [SLIP39.Group(memberThreshold: 2, memberCount: 3)],
                using: &rng
            )
        } catch {
            print("FAIL probe setup: \(error)")
            return
        }
        var decoded: [SLIP39.Share] = []
        for share in shares[0].prefix(2) {
            let text = share.mnemonic()
            let copy = Marks.publicCopy(text)
            // The end of the fourth word: the header words are public.
            var spaces = 0
            var headerEnd = copy.count
            for (offset, byte) in copy.enumerated() where byte == 0x20 {
                spaces += 1
                if spaces == 4 {
                    headerEnd = offset
                    break
                }
            }
            text.withUnsafeBytes { text in
                Marks.publish(text)
                Marks.secret(UnsafeRawBufferPointer(rebasing: text[headerEnd...]))
            }
            do {
                decoded.append(try SLIP39.Share(mnemonic: text))
            } catch {
                print("FAIL probe decode: \(error)")
                return
            }
        }
        do {
            let recovered = try SLIP39.recoverEncryptedMasterSecret(from: decoded)
            let same = Marks.publicCopy(recovered.ciphertext) == Marks.publicCopy(encrypted.ciphertext)
            print("probe: SLIP-39 mnemonic encode + decode, result \(same ? "correct" : "WRONG")")
        } catch {
            print("FAIL probe recover: \(error)")
        }
    }
}
