import ArgumentParser
import Escrow
import Sodium

/// `escrow vault init NAME --threshold K --custodians a,b,c,d,e [--metadata k=v …]`: the key ceremony.
struct VaultInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
            "Create a vault: generate its master key, split it among the custodians, encrypt each share to its owner.",
        discussion: """
            The master key is generated in guarded memory, split with Shamir's scheme (custodian i gets x = i in \
            the order given), each share is encrypted to its custodian's key with a keyed digest beside it, and \
            the key is wiped. Only the vault's public key is kept: anyone in the roster can deposit, only a quorum \
            can open. Known AWS metadata keys: \(VaultMetadata.knownKeys.joined(separator: ", ")); custom keys start with x-.
            """
    )

    @Argument(help: "The vault's name (lowercase letters, digits, '.', '_', '-').")
    var name: String

    @Option(help: "How many custodians must agree to open the vault.")
    var threshold: Int

    @Option(
        help: ArgumentHelp(
            "The custodians, comma-separated, in share order (e.g. alice,bob,carol).",
            valueName: "names"
        )
    )
    var custodians: String

    @Option(
        name: .customLong("metadata"),
        help: ArgumentHelp(
            "Public metadata key=value (repeatable), e.g. account_id=123456789012.",
            valueName: "key=value"
        )
    )
    var metadata: [String] = []

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(help: "Why the vault is created (recorded in the audit log).")
    var reason: String?

    @Flag(help: "Print the ceremony summary as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let names = custodians.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingSpaces
            }
            guard !names.contains("") else { throw CLIError("--custodians has an empty name (write a,b,c)") }
            let parsedMetadata = try VaultMetadata.parse(metadata)
            let opened = try store.open()
            let actor = try identity.unlock()
            var rng = StreamRandom()
            let (vault, record) = try opened.createVault(
                name: name,
                threshold: threshold,
                custodianNames: names,
                metadata: parsedMetadata,
                by: actor,
                reason: reason,
                using: &rng
            )
            opened.reportRecovery()
            let head = Hex.encode(AuditChain.hash(ofLine: try record.line()))
            if json {
                Output.json(
                    VaultJSON.detail(vault).setting("audit_seq", to: .int(record.seq)).setting(
                        "audit_head",
                        to: .string(head)
                    )
                )
                return
            }
            Output.line("Key ceremony for vault '\(vault.name)'")
            Output.line("  vault id:    \(vault.id)")
            Output.line(
                "  policy:      \(vault.policy.threshold) of \(vault.policy.custodians.count) custodians must agree to open it"
            )
            Output.line(
                "  vault key:   \(Fingerprint(vaultKey: vault.publicKey.bytes)) (fingerprint of the public key)"
            )
            Output.line("  generation:  \(vault.generation)")
            Output.line("  custodians:")
            for custodian in vault.policy.custodians {
                Output.line("    x=\(custodian.x)  \(custodian.name.padded(16))  \(custodian.fingerprint)")
            }
            if !vault.metadata.isEmpty {
                Output.line(
                    "  metadata:    "
                        + vault.metadata.keys.sorted().map { "\($0)=\(vault.metadata[$0] ?? "")" }.joined(
                            separator: " "
                        )
                )
            }
            Output.line(
                "The master key was generated in guarded memory, split, each share encrypted to its custodian, and wiped; it was never written anywhere."
            )
            Output.line("Audit record \(record.seq); audit head \(head).")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }

    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
