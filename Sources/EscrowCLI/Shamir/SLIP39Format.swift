import Escrow
import Platform
import SLIP39
import Sodium

/// SLIP-0039 mnemonics on the command line: one mnemonic per line, groups separated by one blank line.
enum SLIP39Format {
    /// Splits `secret` and prints the mnemonics, group by group, with one blank line between groups.
    ///
    /// Everything is checked and computed before the first byte is written.
    static func split(
        _ secret: SecretBuffer,
        threshold: Int?,
        shares: Int?,
        options: SLIP39SplitOptions
    ) throws {
        let layout = try options.layout(threshold: threshold, shares: shares)
        let masterSecret = secret.withBytes { SecureBytes(copying: $0) }
        let exponent = options.iterationExponent ?? SLIP39.defaultIterationExponent
        // Refuse a bad layout, exponent or secret length before asking for a passphrase.
        try SLIP39.validateParameters(
            secretByteCount: masterSecret.count,
            groupThreshold: layout.groupThreshold,
            groups: layout.groups,
            iterationExponent: exponent
        )
        let passphrase = try SLIP39Passphrase.read(file: options.passphraseFile, confirm: true)
        var random = StreamRandom()
        let groups: [[SLIP39.Share]]
        do {
            groups = try SLIP39.split(
                masterSecret,
                groupThreshold: layout.groupThreshold,
                groups: layout.groups,
                passphrase: passphrase,
                iterationExponent: exponent,
                extendable: options.extendable ?? true,
                using: &random
            )
        } catch {
            // Name the passphrase's source; every other error was refused before the prompt.
            guard error.code == .invalidPassphrase else { throw error }
            throw CLIError((options.passphraseFile.map { "\($0): " } ?? "") + error.message)
        }
        let mnemonics = groups.map { $0.map { $0.mnemonic() } }
        let size =
            mnemonics.reduce(0) { total, group in total + group.reduce(0) { $0 + $1.count + 1 } }
            + groups.count - 1
        let output = SecureBytes(count: size)
        output.withUnsafeMutableBytes { out in
            var offset = 0
            for (groupIndex, group) in mnemonics.enumerated() {
                if groupIndex > 0 {
                    out[offset] = 0x0A
                    offset += 1
                }
                for mnemonic in group {
                    mnemonic.withUnsafeBytes {
                        UnsafeMutableRawBufferPointer(rebasing: out[offset..<(offset + $0.count)]).copyMemory(
                            from: $0
                        )
                    }
                    offset += mnemonic.count
                    out[offset] = 0x0A
                    offset += 1
                }
            }
        }
        try output.withUnsafeBytes { try FileDescriptorIO.writeAll(1, $0, name: "standard output") }
    }

    /// Parses every mnemonic (naming the first bad line), checks the set, asks for the passphrase, decrypts.
    static func combine(_ text: SecretBuffer, options: SLIP39CombineOptions) throws -> SecretBuffer {
        let shares = try text.withBytes { bytes in
            try Lines.nonBlank(bytes).map { line in
                try SLIP39.Share(
                    mnemonic: UnsafeRawBufferPointer(rebasing: bytes[line.range]),
                    label: "line \(line.number)"
                )
            }
        }
        guard !shares.isEmpty else {
            throw CLIError("no mnemonics given: put one per line on stdin or in --in FILE")
        }
        let encrypted = try SLIP39.recoverEncryptedMasterSecret(from: shares)
        let passphrase = try SLIP39Passphrase.read(file: options.passphraseFile, confirm: false)
        let secret = encrypted.decrypt(passphrase: passphrase)
        return SecretBuffer(storage: secret, count: secret.count)
    }
}
