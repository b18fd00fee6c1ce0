import SLIP39
import Sodium

extension Checks {
    /// SLIP-39 mnemonic text: `Share.mnemonic()` writes the words of a share whose value is secret, and
    /// `Share(mnemonic:)` reads them back from text whose every byte is secret (letters, separators, and so the
    /// words' lengths and positions); recovery from the decoded shares gives the master secret back. Public by
    /// contract and declassified inside the codec: the text's length, its number of words and the four header words.
    /// Covered for a 128-bit and a 256-bit master secret, and for text typed with capitals, tabs and line breaks.
    mutating func runMnemonic() {
        for length in [16, 32] {
            let master = SecureBytes(copying: Marks.randomSecret(length))
            // The first draw is the identifier (public: the first word of every mnemonic).
            var rng = SecretRandom(publicFills: 1)
            let shares = attempt("SLIP39 split for mnemonics") {
                try SLIP39.split(
                    master,
                    groupThreshold: 1,
                    groups: [SLIP39.Group(memberThreshold: 2, memberCount: 3)],
                    iterationExponent: 0,
                    extendable: true,
                    using: &rng
                )
            }
            var decoded: [SLIP39.Share] = []
            var retyped: [SLIP39.Share] = []
            for share in shares[0].prefix(2) {
                let text = share.mnemonic()
                Marks.secret(text)
                let back = attempt("Share(mnemonic:)") { try SLIP39.Share(mnemonic: text) }
                expect(
                    "SLIP39 Share.mnemonic() + Share(mnemonic:), \(length * 8)-bit secret: the value read back",
                    Marks.publicCopy(back.value),
                    equals: Marks.publicCopy(share.value)
                )
                decoded.append(back)
                // The same words in capitals, separated by a tab, a line break and spaces (made from a public copy:
                // the harness's own branches are not the code's), then marked secret.
                var variant: [UInt8] = [0x0A]
                for byte in Marks.publicCopy(text) {
                    if byte == 0x20 {
                        variant += [0x20, 0x09, 0x0D, 0x0A, 0x20]
                    } else {
                        variant.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte)
                    }
                }
                variant += [0x20, 0x0A]
                let typed = SecureBytes(copying: variant)
                Marks.secret(typed)
                retyped.append(attempt("Share(mnemonic:) retyped") { try SLIP39.Share(mnemonic: typed) })
            }
            expect(
                "SLIP39 mnemonic text round trip + combine, \(length * 8)-bit secret",
                Marks.publicCopy(attempt("SLIP39 combine") { try SLIP39.combine(decoded) }),
                equals: Marks.publicCopy(master)
            )
            expect(
                "SLIP39 Share(mnemonic:) of text in capitals with tabs and line breaks + combine, \(length * 8)-bit",
                Marks.publicCopy(attempt("SLIP39 combine retyped") { try SLIP39.combine(retyped) }),
                equals: Marks.publicCopy(master)
            )
        }
    }
}
