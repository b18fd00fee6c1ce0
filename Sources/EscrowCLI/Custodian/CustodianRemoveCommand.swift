import ArgumentParser
import Escrow

/// `escrow custodian remove NAME --identity A.id [--endorse B.id]... [--dry-run]`: removes a member, endorsed in the
/// room; refused while the member holds shares of an active vault.
struct CustodianRemoveCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a member from the store, endorsed by enough custodians in the room.",
        discussion: """
            Refused while the member is a custodian of an active vault: re-split those vaults first \
            ('escrow vault reshare --all --remove NAME'). Released vaults never block; a closed vault's shares stay \
            with its policy until a re-split or a release. --dry-run says what happens to each vault and writes \
            nothing. A removed member's key can never return.
            """
    )

    @Argument(help: "The member to remove.", completion: StoreCompletion.members)
    var name: String

    @Flag(name: .customLong("dry-run"), help: "Say what happens to each vault; write nothing.")
    var dryRun = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var signing: RosterSigningOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// What removing a member means for one vault.
    struct Impact {
        /// The vault's name.
        let vault: String
        /// Its status.
        let status: VaultStatus
        /// Whether it blocks the removal.
        let blocks: Bool
        /// One line for people.
        let text: String
    }

    /// The vaults whose current policy names `member`, and what the removal does to each.
    ///
    /// - Parameters:
    ///   - member: The member.
    ///   - state: The folded store.
    /// - Returns: One impact per vault, by name.
    static func impacts(of member: MemberState, in state: LedgerState) -> [Impact] {
        let key = member.identity.signingKey
        let name = member.identity.name
        return state.vaults.values.filter { vault in vault.policy.custodians.contains { $0.key.bytes == key } }
            .sorted { $0.reference.name < $1.reference.name }
            .map { vault in
                let label = vault.reference.name
                switch vault.status {
                case .active, .pending:
                    return Impact(
                        vault: label,
                        status: vault.status,
                        blocks: true,
                        text: "\(label) (\(vault.status.rawValue)): \(name) is one of its custodians; re-split it "
                            + "first: escrow vault reshare --all --remove \(name)"
                    )
                case .closed:
                    return Impact(
                        vault: label,
                        status: vault.status,
                        blocks: false,
                        text: "\(label) (closed): \(name)'s shares stay with the policy until a re-split or release"
                    )
                case .released:
                    return Impact(
                        vault: label,
                        status: vault.status,
                        blocks: false,
                        text: "\(label) (released): nothing to do"
                    )
                }
            }
    }

    /// Runs the command (see the type's documentation).
    func execute() throws {
        let context = try store.open()
        let state = context.ledger.state
        if state.member(named: name) == nil, !dryRun, try finishInterrupted(context) { return }
        guard let member = state.member(named: name) else {
            throw CLIError("'\(NameRules.printable(name))' is not a member of this store ('escrow custodian list')")
        }
        let impacts = Self.impacts(of: member, in: state)
        let blocking = impacts.filter(\.blocks).map(\.vault)
        if dryRun {
            report(impacts, blocking: blocking, member: member)
            return
        }
        guard blocking.isEmpty else {
            throw CLIError(
                "\(name) is a custodian of \(blocking.count == 1 ? "vault" : "vaults") \(blocking.joined(separator: ", ")): "
                    + "re-split them first: escrow vault reshare --all --remove \(name)"
            )
        }
        let change = try context.ledger.rosterChange(add: [], remove: [name], quorum: nil)
        let ceremony = RosterCeremony(context: context, change: change)
        let (event, endorsers) = try ceremony.run(signing: signing)
        if json {
            Console.json(ceremony.result(event, endorsers: endorsers))
            return
        }
        Console.line(
            "Removed \(name) (\(member.identity.fingerprint)) from store '\(state.storeName)', endorsed by "
                + "\(endorsers.joined(separator: ", ")); event \(event.id.short)."
        )
        for impact in impacts { Console.note(impact.text) }
        Console.note("Run 'escrow sync' to share the change.")
    }

    /// Finishes the removal of `name` that an interrupted run wrote but did not commit
    /// (``RosterCeremony/finishInterrupted(in:isThisChange:)``) and reports it.
    ///
    /// - Parameter context: The open store.
    /// - Returns: Whether there was one.
    /// - Throws: A git or I/O error.
    private func finishInterrupted(_ context: StoreContext) throws -> Bool {
        let ledger = context.ledger
        guard
            let (ceremony, event, endorsers) = try RosterCeremony.finishInterrupted(
                in: context,
                isThisChange: { change in
                    change.add.isEmpty && change.quorum == nil && change.remove.count == 1
                        && CustodianListCommand.formerName(change.remove[0].bytes, ledger: ledger) == name
                }
            )
        else { return false }
        if json {
            Console.json(ceremony.result(event, endorsers: endorsers))
            return true
        }
        let key = ceremony.change.remove[0].bytes
        Console.line(
            "Removed \(name) (\(Fingerprint(signingKey: key))) from store '\(ledger.state.storeName)', endorsed by "
                + "\(endorsers.joined(separator: ", ")); event \(event.id.short)."
        )
        Console.note("Run 'escrow sync' to share the change.")
        return true
    }

    /// Prints the dry run: what happens to each vault.
    private func report(_ impacts: [Impact], blocking: [String], member: MemberState) {
        if json {
            Console.json(
                .object([
                    "member": .string(name), "role": .string(member.role.rawValue),
                    "blocked": .bool(!blocking.isEmpty),
                    "vaults": .array(
                        impacts.map { impact in
                            .object([
                                "vault": .string(impact.vault), "status": .string(impact.status.rawValue),
                                "blocks": .bool(impact.blocks), "note": .string(impact.text),
                            ])
                        }
                    ),
                ])
            )
            return
        }
        Console.line(
            blocking.isEmpty
                ? "Removing \(name) (\(member.role.rawValue)) is possible; nothing was written."
                : "Removing \(name) is refused until \(blocking.joined(separator: ", ")) \(blocking.count == 1 ? "is" : "are") re-split; nothing was written."
        )
        if impacts.isEmpty { Console.line("  \(name) is a custodian of no vault.") }
        for impact in impacts { Console.line("  " + impact.text) }
    }
}
