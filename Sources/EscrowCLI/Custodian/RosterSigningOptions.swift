import ArgumentParser
import Escrow
import Platform

/// `--identity A.id [--endorse B.id]... [--passphrase-file P]...`: who signs a roster change in the room. The acting
/// custodian (`--identity`, else `$ESCROW_IDENTITY`) authors the event and endorses it; each `--endorse` identity
/// endorses it too. Passphrases come from the `--passphrase-file` files in the same order as the identities (acting
/// first); identities without a file are asked on the terminal, one after the other.
struct RosterSigningOptions: ParsableArguments {
    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp("Your identity file: you author the change (default: $ESCROW_IDENTITY).", valueName: "file")
    )
    var identityOption: String?

    @Option(
        name: .customLong("endorse"),
        help: ArgumentHelp("Another custodian's identity file, endorsing in the room (repeatable).", valueName: "file")
    )
    var endorsers: [String] = []

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "Passphrase files in the order of the identities (--identity first); the rest are asked on the terminal.",
            valueName: "file"
        )
    )
    var passphraseFiles: [String] = []

    /// Checks the arguments before anything is read or asked.
    func validate() throws {
        guard passphraseFiles.count <= 1 + endorsers.count else {
            throw ValidationError(
                "\(passphraseFiles.count) --passphrase-file given for \(1 + endorsers.count) identities"
            )
        }
    }

    /// The identity files in signing order: the acting custodian first.
    ///
    /// - Returns: The paths.
    /// - Throws: ``CLIError`` when no acting identity is given.
    func paths() throws -> [String] {
        if let identityOption, !identityOption.isEmpty { return [identityOption] + endorsers }
        let variable = IdentityOptions.environmentVariable
        if let path = StoreLocation.processEnvironment[variable], !path.isEmpty { return [path] + endorsers }
        throw CLIError("no identity given: pass --identity FILE or set \(variable)")
    }

    /// Where the passphrase of the identity at `index` comes from.
    ///
    /// - Parameter index: The identity's position in ``paths()``.
    /// - Returns: Its source.
    func passphraseSource(_ index: Int) -> PassphraseSource {
        index < passphraseFiles.count ? .file(passphraseFiles[index]) : .terminal
    }
}
