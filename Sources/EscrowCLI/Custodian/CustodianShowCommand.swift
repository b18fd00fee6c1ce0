import ArgumentParser
import Escrow
import Platform

/// `escrow custodian show NAME` (from the roster) or `escrow custodian show --identity FILE` (your own public line).
struct CustodianShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a custodian: public identity line, fingerprint, and the vaults they hold shares of.",
        discussion:
            "With --identity FILE instead of a name, print the public line of your own identity file (no passphrase needed)."
    )

    @Argument(help: "The custodian's name.")
    var name: String?

    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp("Show the public part of this identity file instead.", valueName: "file")
    )
    var identityPath: String?

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            if let identityPath {
                guard name == nil else { throw CLIError("give either a custodian name or --identity, not both") }
                let file = try IdentityFile.decode(
                    try FileSystem.read(identityPath, limit: 1 << 16),
                    source: identityPath
                )
                if json {
                    Output.json(
                        .object([
                            "name": .string(file.publicIdentity.name), "email": .string(file.publicIdentity.email),
                            "fingerprint": .string(file.publicIdentity.fingerprint.description),
                            "public_identity": .string(file.publicIdentity.line),
                        ])
                    )
                } else {
                    Output.line(file.publicIdentity.line)
                }
                return
            }
            guard let name else { throw CLIError("name a custodian, or give --identity FILE") }
            let opened = try store.open()
            let roster = try opened.roster()
            guard let member = roster.member(named: name) ?? roster.former.last(where: { $0.identity.name == name })
            else {
                throw EscrowError(.notFound, "custodian '\(name)' is not in the roster")
            }
            let vaults = try opened.vaults().compactMap { vault -> (String, UInt8)? in
                vault.policy.custodian(fingerprint: member.identity.fingerprint).map { (vault.name, $0.x) }
            }
            opened.reportRecovery()
            if json {
                Output.json(CustodianJSON.value(member, vaults: vaults.map(\.0)))
                return
            }
            Output.line("Custodian:    \(member.identity.name)")
            if !member.identity.email.isEmpty { Output.line("E-mail:       \(member.identity.email)") }
            Output.line("Fingerprint:  \(member.identity.fingerprint)")
            Output.line(
                "Added:        \(member.addedAt) by \(roster.knownIdentity(fingerprint: member.addedBy)?.name ?? member.addedBy.description)"
            )
            if let removedAt = member.removedAt {
                let by = member.removedBy.map { roster.knownIdentity(fingerprint: $0)?.name ?? $0.description } ?? "?"
                Output.line("Removed:      \(removedAt) by \(by)")
            }
            Output.line(
                "Shares:       "
                    + (vaults.isEmpty ? "none" : vaults.map { "\($0.0) (x=\($0.1))" }.joined(separator: ", "))
            )
            Output.line("Public line:  \(member.identity.line)")
        }
    }
}
