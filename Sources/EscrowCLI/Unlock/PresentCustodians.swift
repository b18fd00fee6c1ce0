import ArgumentParser
import Escrow

/// `--identity FILE` (repeatable) with `--passphrase-file NAME=FILE` (repeatable): the custodians present at an
/// in-room ceremony, or the one requester. Each passphrase file names the custodian it belongs to, so files pair with
/// identities whatever the order; with a single identity a plain `--passphrase-file FILE` also works. Custodians
/// without a passphrase file type their passphrase at the terminal, in turn, without echo.
struct PresentCustodians: ParsableArguments {
    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp(
            "An identity file (repeat for each custodian present; default: $ESCROW_IDENTITY).",
            valueName: "file"
        )
    )
    var identities: [String] = []

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "NAME=FILE: read NAME's passphrase from the first line of FILE instead of the terminal (repeatable; a plain FILE is accepted with a single identity).",
            valueName: "name=file"
        )
    )
    var passphraseFiles: [String] = []

    /// An identity file read from disk (public part only).
    struct Member {
        let path: String
        let file: IdentityFile
        var identity: PublicIdentity { file.publicIdentity }
    }

    /// The identity files, in the order given (`$ESCROW_IDENTITY` when none is).
    func members() throws -> [Member] {
        var paths = identities
        if paths.isEmpty, let path = StoreLocation.processEnvironment[IdentityOptions.environmentVariable],
            !path.isEmpty
        {
            paths = [path]
        }
        guard !paths.isEmpty else {
            throw CLIError("no identity given: pass --identity FILE or set \(IdentityOptions.environmentVariable)")
        }
        var members: [Member] = []
        for path in paths {
            let file = try IdentityFile.decode(try FileSystem.read(path, limit: 1 << 16), source: path)
            if let earlier = members.first(where: { $0.identity.signingKey == file.publicIdentity.signingKey }) {
                throw CLIError("\(path) and \(earlier.path) are the same identity (\(file.publicIdentity))")
            }
            members.append(Member(path: path, file: file))
        }
        return members
    }

    /// Exactly one identity (request mode).
    func single() throws -> Member {
        let all = try members()
        guard all.count == 1, let member = all.first else {
            throw CLIError("give exactly one --identity to make a request (several are for an in-room ceremony)")
        }
        return member
    }

    /// Where each member's passphrase comes from.
    func sources(for members: [Member]) throws -> [PassphraseSource] {
        var files: [String: String] = [:]
        let names = members.map(\.identity.name)
        for value in passphraseFiles {
            if let equals = value.firstIndex(of: "="), names.contains(String(value[..<equals])) {
                let name = String(value[..<equals])
                guard files[name] == nil else { throw CLIError("--passphrase-file gives two files for \(name)") }
                files[name] = String(value[value.index(after: equals)...])
            } else if members.count == 1, passphraseFiles.count == 1 {
                files[names[0]] = value
            } else {
                throw CLIError(
                    "--passphrase-file '\(NameRules.printable(value))' must be NAME=FILE naming one of the identities given (\(names.joined(separator: ", ")))"
                )
            }
        }
        return names.map { files[$0].map(PassphraseSource.file) ?? .terminal }
    }

    /// Opens every identity, in turn: each custodian types their passphrase (or it is read from their file).
    func unlock(_ members: [Member]) throws -> [CustodianIdentity] {
        let sources = try sources(for: members)
        var unlocked: [CustodianIdentity] = []
        for (index, (member, source)) in zip(members, sources).enumerated() {
            if source == .terminal, members.count > 1 {
                Terminal.say("Custodian \(index + 1) of \(members.count): \(member.identity.name), your turn.\n")
            }
            let passphrase = try source.read(
                prompt: "Passphrase for \(member.identity.name) (\(member.identity.fingerprint)): "
            )
            unlocked.append(try member.file.unseal(passphrase: passphrase, allowTestProfile: TestProfile.isAllowed))
        }
        return unlocked
    }
}
