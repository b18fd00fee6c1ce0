import ArgumentParser
import Escrow
import Platform
import Sodium

/// `--identity FILE [--passphrase-file F]`: the acting custodian's identity (the path may also come from
/// `$ESCROW_IDENTITY`: it is not a secret). The passphrase comes from the first line of the file, or from a no-echo
/// prompt on the terminal; never from the command line or the environment.
struct IdentityOptions: ParsableArguments {
    static let environmentVariable = "ESCROW_IDENTITY"

    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp(
            "Your identity file from 'escrow custodian new' (default: $ESCROW_IDENTITY).",
            valueName: "file"
        )
    )
    var identityOption: String?

    /// The identity file's path: `--identity`, else `$ESCROW_IDENTITY`.
    func identityPath() throws -> String {
        if let identityOption, !identityOption.isEmpty { return identityOption }
        if let path = StoreLocation.processEnvironment[Self.environmentVariable], !path.isEmpty { return path }
        throw CLIError("no identity given: pass --identity FILE or set \(Self.environmentVariable)")
    }

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "Read the identity passphrase from the first line of this file instead of the terminal.",
            valueName: "file"
        )
    )
    var passphraseFile: String?

    var passphraseSource: PassphraseSource { passphraseFile.map(PassphraseSource.file) ?? .terminal }

    /// Reads and checks the identity file (public part only; no passphrase needed). A file its group or others
    /// may read is refused (as ssh refuses such a private key).
    func readFile() throws -> IdentityFile {
        let path = try identityPath()
        try PrivateFile.requirePrivateIdentity(path)
        return try IdentityFile.decode(try FileSystem.read(path, limit: 1 << 16), source: path)
    }

    /// Opens the identity with its passphrase.
    func unlock() throws -> CustodianIdentity {
        let file = try readFile()
        let identity = file.publicIdentity
        let passphrase = try passphraseSource.read(
            prompt: "Passphrase for \(identity.name) (\(identity.fingerprint)): "
        )
        return try file.unseal(passphrase: passphrase)
    }
}

/// The hidden `--kdf` option: Argon2id cost of a new identity file. `moderate` by default; `minimal` exists for
/// tests and `escrow demo` only (the file records whichever was used).
extension KeyDerivationProfile: ExpressibleByArgument {}
