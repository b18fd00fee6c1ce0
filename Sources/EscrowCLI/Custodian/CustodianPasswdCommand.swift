import ArgumentParser
import Escrow
import Sodium

/// `escrow custodian passwd --identity FILE`: re-seals an identity under a new passphrase.
struct CustodianPasswdCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change the passphrase of your identity file.",
        discussion: """
            Asks for the current passphrase, then the new one twice (or reads them from --passphrase-file and \
            --new-passphrase-file). The key pair does not change, so nothing in any store changes either.
            """
    )

    @OptionGroup var identity: IdentityOptions

    @Option(
        name: .customLong("new-passphrase-file"),
        help: ArgumentHelp("Read the new passphrase from the first line of this file.", valueName: "file")
    )
    var newPassphraseFile: String?

    @Flag(help: "Accept a new passphrase the strength check refuses.")
    var force = false

    @Option(name: .customLong("kdf"), help: .hidden)
    var kdf: KeyDerivationProfile = .moderate

    /// Runs the command (see the type's documentation).
    func execute() throws {
        do {
            let file = try identity.readFile()
            // A file sealed with the test profile may be opened here, to be re-sealed with a real one.
            let unlocked = try identity.unlock(allowingTestProfile: file.usesTestProfile)
            let source = newPassphraseFile.map(PassphraseSource.file) ?? .terminal
            let passphrase = try source.read(
                prompt: "New passphrase for \(unlocked.publicIdentity.name): ",
                confirm: true
            )
            if !force { try PassphrasePolicy.check(passphrase) }
            let resealed = try IdentityFile.seal(
                unlocked,
                passphrase: passphrase,
                limits: kdf.limits,
                createdAt: file.createdAt
            )
            try IdentityFileWriter.write(resealed, to: try identity.identityPath(), replacing: true)
            Console.line("Passphrase of \(unlocked.publicIdentity) changed; \(try identity.identityPath()) re-sealed.")
        }
    }
}
