import Sodium

@testable import SLIP39

extension SecureBytes {
    /// The bytes, for comparisons in tests only.
    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
    var hex: String { Hex.encode(bytes) }

    static func ascii(_ text: String) -> SecureBytes { SecureBytes(copying: Array(text.utf8)) }
}

extension SLIP39.Share {
    /// The mnemonic as a `String`, for tests only.
    var mnemonicText: String { String(decoding: mnemonic().bytes, as: UTF8.self) }
}

/// Decodes mnemonics labelled `line 1`, `line 2`, ….
func decodeShares(_ mnemonics: [String]) throws(SLIP39Error) -> [SLIP39.Share] {
    var shares: [SLIP39.Share] = []
    for (position, mnemonic) in mnemonics.enumerated() {
        shares.append(try SLIP39.Share(mnemonic: mnemonic, label: "line \(position + 1)"))
    }
    return shares
}

/// Decodes and combines mnemonics; the error, if any, is returned rather than thrown.
func combineMnemonics(_ mnemonics: [String], passphrase: String) -> Result<SecureBytes, SLIP39Error> {
    Result { () throws(SLIP39Error) -> SecureBytes in
        try SLIP39.combine(decodeShares(mnemonics), passphrase: .ascii(passphrase))
    }
}
