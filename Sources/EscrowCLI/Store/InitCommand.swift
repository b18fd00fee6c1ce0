import ArgumentParser
import Escrow

/// `escrow init --identity FILE`: creates a store whose first roster member is the founder.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store: roster, vault directory and audit log, founded by your identity.",
        discussion: """
            The founder becomes the first roster member and signs the first audit record. Add the other \
            custodians with 'escrow custodian add'. The store is a plain directory: keep it in git if you like.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(help: "Why the store is created (recorded in the audit log).")
    var reason: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let location = try store.location()
            let founder = try identity.unlock()
            let (created, record) = try Store.create(at: location, founder: founder, reason: reason)
            let head = Hex.encode(AuditChain.hash(ofLine: try record.line()))
            if json {
                Output.json(
                    .object([
                        "store": .string(created.layout.root), "store_id": .string(created.descriptor.id.description),
                        "founder": .string(founder.publicIdentity.line), "audit_head": .string(head),
                    ])
                )
            } else {
                Output.line("Created store \(created.layout.root) (id \(created.descriptor.id))")
                Output.line("Founder: \(founder.publicIdentity)")
                Output.line("Audit head: \(head)")
            }
        }
    }
}
