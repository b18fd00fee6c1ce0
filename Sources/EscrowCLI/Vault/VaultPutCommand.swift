import ArgumentParser
import Escrow
import Sodium

extension EntryKind: ExpressibleByArgument {}

/// `escrow vault put NAME ENTRY --kind password|totp|note [--generate] [--in FILE]`: deposit without a quorum.
struct VaultPutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Deposit a credential into a vault: sealed to the vault's key, signed by you; no quorum needed.",
        discussion: """
            The value is read from standard input (a hidden prompt if it is a terminal) or --in FILE, never from \
            the command line. A password's trailing newline is dropped; a TOTP entry takes an otpauth://totp/ URI \
            (as in AWS's QR code) or a base32 seed; a note is kept byte for byte. --generate makes a random \
            password with upper- and lowercase letters, digits and symbols and does not show it unless --print. \
            Depositing into an existing entry adds a version; the old one stays sealed, marked superseded.
            """
    )

    @Argument(help: "The vault's name.")
    var name: String

    @Argument(help: "The entry's name, e.g. root-password.")
    var entry: String

    @Option(help: "What the entry holds: password, totp or note.")
    var kind: EntryKind

    @Flag(help: "Generate a strong random password instead of reading one.")
    var generate = false

    @Option(help: "Length of the generated password (20…128, default 24).")
    var length: Int?

    @Flag(name: .customLong("print"), help: "Print the generated password on standard output.")
    var printGenerated = false

    @Option(
        name: .customLong("in"),
        help: ArgumentHelp("Read the value from this file instead of standard input.", valueName: "file")
    )
    var input: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(help: "Why the value is deposited (recorded in the audit log).")
    var reason: String?

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            if generate {
                guard kind == .password else {
                    throw CLIError("--generate makes passwords: use it with --kind password")
                }
                guard input == nil else { throw CLIError("--generate and --in exclude each other") }
            } else {
                guard !printGenerated else {
                    throw CLIError("--print shows a generated password: use it with --generate")
                }
                guard length == nil else { throw CLIError("--length applies to --generate") }
            }
            try NameRules.validateVaultName(name)
            try NameRules.validateEntryName(entry)
            let prepared: EntryInput.Prepared
            if generate {
                let password = try PasswordGenerator.generate(length: length ?? PasswordGenerator.defaultLength)
                prepared = EntryInput.Prepared(value: password, metadata: ["generated": "true"])
            } else {
                prepared = try EntryInput.prepare(try readValue(), kind: kind, entryName: entry)
            }
            let opened = try store.open()
            let actor = try identity.unlock()
            let (vault, version, record) = try opened.deposit(
                into: name,
                entry: entry,
                kind: kind,
                prepared: prepared,
                by: actor,
                reason: reason
            )
            opened.reportRecovery()
            var summary = "Deposited \(vault.name)/\(entry) version \(version.version) (\(kind.rawValue)"
            if generate { summary += ", generated, \(prepared.value.count) characters" }
            summary += ")"
            if version.version > 1 { summary += "; version \(version.version - 1) is now superseded" }
            summary += ". Audit record \(record.seq)."
            if printGenerated {
                StandardError.writeLine(summary)
                try prepared.value.withUnsafeBytes {
                    try SecretOutput.write($0, hex: false, to: 1, name: "standard output")
                }
                try [UInt8(ascii: "\n")].withUnsafeBytes { try FileIO.writeAll(1, $0, name: "standard output") }
            } else {
                Output.line(summary)
                if generate {
                    Output.line("The password was sealed without being shown; opening it takes a quorum of custodians.")
                }
            }
        }
    }

    /// The value from --in, a hidden terminal prompt, or standard input, in guarded memory.
    private func readValue() throws -> SecureBytes {
        let buffer: SecretBuffer
        let tooLarge = "the value for '\(entry)' is larger than \(EntryInput.maximumLength) bytes"
        if let input {
            buffer = try FileIO.readAll(path: input, limit: EntryInput.maximumLength, tooLarge: tooLarge)
        } else if Terminal.isTerminal(0) {
            guard kind != .note else { throw CLIError("give the note on standard input or with --in FILE") }
            return try Terminal.readHidden(prompt: "Value for \(entry) (hidden): ", limit: EntryInput.maximumLength)
        } else {
            buffer = try FileIO.readAll(0, name: "standard input", limit: EntryInput.maximumLength, tooLarge: tooLarge)
        }
        let value = SecureBytes(count: buffer.count)
        buffer.withBytes { source in
            value.withUnsafeMutableBytes { target in
                if source.count > 0 { target.copyMemory(from: source) }
            }
        }
        return value
    }
}
