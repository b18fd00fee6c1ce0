import ArgumentParser
import Escrow
import Platform
import Sodium

/// `escrow totp [--at UNIX-TIME] [--in FILE]`: the current code of an otpauth URI or base32 seed.
struct TOTPCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "totp",
        abstract: "Print the current TOTP code of an otpauth:// URI or base32 seed read from standard input.",
        discussion: """
            RFC 6238: HMAC-SHA-1 by default, 6 digits, 30-second steps; the URI's algorithm, digits and period are \
            honoured. The seed is read from standard input (a hidden prompt on a terminal) or --in FILE, never \
            from the command line. Prints 'CODE (Ns left)'. A TOTP entry of a vault shows its code when opened \
            with 'escrow unlock'.
            """
    )

    @Option(help: ArgumentHelp("Compute the code at this Unix time instead of now.", valueName: "seconds"))
    var at: Int64?

    @Option(
        name: .customLong("in"),
        help: ArgumentHelp("Read the URI or seed from this file instead of standard input.", valueName: "file")
    )
    var input: String?

    func execute() throws {
        do {
            let secret: SecureBytes
            if let input {
                secret = try FileSystem.readSecret(path: input, limit: EntryInput.maximumLength)
            } else if Terminal.isTerminal(0) {
                secret = try Terminal.readHidden(prompt: "otpauth URI or base32 seed (hidden): ", limit: 4096)
            } else {
                secret = try FileDescriptorIO.readSecret(0, limit: EntryInput.maximumLength, name: "standard input")
            }
            let parsed = try OTPAuthURI.parse(secret)
            let code = try TOTP.code(
                seed: parsed.seed,
                parameters: parsed.parameters,
                at: at ?? EscrowClock.system.now.secondsSinceEpoch
            )
            try code.digits.withUnsafeBytes { try FileDescriptorIO.writeAll(1, $0, name: "standard output") }
            Console.line(" (\(code.secondsLeft)s left)")
        }
    }
}
