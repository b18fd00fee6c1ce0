import ArgumentParser
import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `escrow custodian new NAME [--email E] --identity FILE`: a new Ed25519 identity, sealed with a passphrase.
struct CustodianNewCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create your identity: a key pair sealed under a passphrase, and a public line to share.",
        discussion: """
            The identity file holds the private key sealed with Argon2id + XChaCha20-Poly1305. The public \
            identity is printed as one line; give it to whoever runs 'escrow custodian add'. The passphrase is \
            asked twice on the terminal (no echo), or read from the first line of --passphrase-file.
            """
    )

    @Argument(help: "Your custodian name (lowercase letters, digits, '.', '_', '-').")
    var name: String

    @Option(help: "Your e-mail address.")
    var email: String = ""

    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp("Where to write the identity file (must not exist).", valueName: "file")
    )
    var identityPath: String

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp("Read the new passphrase from the first line of this file.", valueName: "file")
    )
    var passphraseFile: String?

    @Flag(help: "Accept a passphrase the strength check refuses.")
    var force = false

    @Option(name: .customLong("kdf"), help: .hidden)
    var kdf: KeyDerivationProfile = .moderate

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Makes sure the identity file can be written before any passphrase is asked: creates missing parent
    /// directories (0700) and checks the directory is writable.
    ///
    /// - Parameter path: The identity file to write.
    /// - Throws: ``CLIError`` when the directory cannot be created or written.
    static func prepareDirectory(for path: String) throws {
        let parent = FileSystem.directory(of: path)
        if !FileSystem.exists(parent) {
            var built = parent.hasPrefix("/") ? "" : "."
            for component in parent.split(separator: "/") {
                built += "/\(component)"
                if FileSystem.exists(built) { continue }
                guard mkdir(built, 0o700) == 0 || errno == EEXIST else {
                    throw CLIError(
                        "cannot create the directory \(built) for \(path): \(String(cString: strerror(errno)))"
                    )
                }
            }
        }
        guard FileSystem.isDirectory(parent) else {
            throw CLIError("\(parent) is not a directory: cannot write \(path)")
        }
        guard access(parent, W_OK) == 0 else {
            throw CLIError("cannot write \(path): the directory \(parent) is not writable (nothing was asked)")
        }
    }

    /// Runs the command (see the type's documentation).
    func execute() throws {
        do {
            guard !FileSystem.exists(identityPath) else {
                throw CLIError("\(identityPath) already exists; choose another file (an identity is never overwritten)")
            }
            let identity = try CustodianIdentity(name: name, email: email)
            try Self.prepareDirectory(for: identityPath)
            let source = passphraseFile.map(PassphraseSource.file) ?? .terminal
            let passphrase = try source.read(prompt: "New passphrase for \(name): ", confirm: true)
            if !force { try PassphrasePolicy.check(passphrase) }
            let file = try IdentityFile.seal(
                identity,
                passphrase: passphrase,
                limits: kdf.limits,
                createdAt: EscrowClock.system.now
            )
            try IdentityFileWriter.write(file, to: identityPath, replacing: false)
            if json {
                Console.json(
                    .object([
                        "name": .string(name), "email": .string(email), "identity": .string(identityPath),
                        "fingerprint": .string(identity.publicIdentity.fingerprint.description),
                        "line": .string(identity.publicIdentity.line),
                    ])
                )
                return
            }
            Console.line(identity.publicIdentity.line)
            Console.note("Identity of \(identity.publicIdentity) written to \(identityPath).")
            let line = Console.outputIsTerminal ? "the line above" : "the line written to standard output"
            Console.note(
                "Share \(line) (it holds only your public key); keep the file and its passphrase to yourself."
            )
        }
    }
}
