import ArgumentParser
import Escrow
import Platform

/// `escrow custodian show --identity FILE` (the public line of an identity file) or `escrow custodian show NAME`
/// (a member of the store: line, fingerprint, role, vaults, versions held).
struct CustodianShowCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the public line of an identity file, or a member of the store and what it holds.",
        discussion: "With --identity no passphrase is asked: only the file's public part is read."
    )

    @Argument(help: "A member of the store.", completion: StoreCompletion.members)
    var name: String?

    @Option(name: .customLong("identity"), help: ArgumentHelp("An identity file.", valueName: "file"))
    var identityPath: String?

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Checks the arguments before anything is read or asked.
    func validate() throws {
        guard (name == nil) != (identityPath == nil) else {
            throw ValidationError("give a member NAME or --identity FILE (exactly one)")
        }
    }

    /// Runs the command (see the type's documentation).
    func execute() throws {
        if let identityPath {
            let file = try IdentityFile.decode(try FileSystem.read(identityPath, limit: 1 << 16), source: identityPath)
            let identity = file.publicIdentity
            if json {
                Console.json(
                    .object([
                        "name": .string(identity.name), "email": .string(identity.email),
                        "fingerprint": .string(identity.fingerprint.description), "line": .string(identity.line),
                    ])
                )
                return
            }
            Console.line(identity.line)
            return
        }
        let context = try store.open()
        let state = context.ledger.state
        guard let name, let member = state.member(named: name) else {
            throw CLIError(
                "'\(NameRules.printable(name ?? ""))' is not a member of this store ('escrow custodian list')"
            )
        }
        let key = member.identity.signingKey
        let vaults = state.vaults.values.filter { vault in vault.policy.custodians.contains { $0.key.bytes == key } }
            .sorted { $0.reference.name < $1.reference.name }
        var versions: [(vault: String, entry: String, version: String)] = []
        for vault in state.vaults.values.sorted(by: { $0.reference.name < $1.reference.name }) {
            for version in vault.allVersions where version.x(ofHolder: key) != nil {
                versions.append((vault.reference.name, version.entry, Hex.encode(version.id)))
            }
        }
        try context.saveTrust()
        if json {
            Console.json(
                .object([
                    "name": .string(member.identity.name), "email": .string(member.identity.email),
                    "fingerprint": .string(member.identity.fingerprint.description),
                    "line": .string(member.identity.line), "role": .string(member.role.rawValue),
                    "vaults": .array(
                        vaults.map {
                            .object(["name": .string($0.reference.name), "status": .string($0.status.rawValue)])
                        }
                    ),
                    "versions": .array(
                        versions.map {
                            .object([
                                "vault": .string($0.vault), "entry": .string($0.entry), "version": .string($0.version),
                            ])
                        }
                    ),
                ])
            )
            return
        }
        Console.lines([
            "member:       \(member.identity.name) <\(member.identity.email)>",
            "line:         \(member.identity.line)",
            "fingerprint:  \(member.identity.fingerprint)",
            "role:         \(member.role.rawValue)",
            "custodian of: "
                + (vaults.isEmpty
                    ? "no vault"
                    : vaults.map { "\($0.reference.name) (\($0.status.rawValue))" }.joined(separator: ", ")),
            "holds shares: \(versions.count) version(s)",
        ])
        for version in versions {
            Console.line("  \(version.vault)/\(version.entry) \(version.version.prefix(8))")
        }
    }
}
