import ArgumentParser
import Escrow
import Platform

/// `escrow init --store DIR --identity FILE [--name LABEL] [--roster-quorum K]`: a new store for a new team.
struct InitCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new store for a new team, with you as its founder and first custodian.",
        discussion: """
            Writes the store's genesis event (signed by you) and pins it for you. Only the team's first member runs \
            this, once; everybody else clones the team's store (git clone) and runs 'escrow store trust' after \
            comparing the genesis fingerprint with the founder out of band. The roster quorum is how many \
            custodians must endorse every later roster change (while the roster is smaller, every member).
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var identity: IdentityOptions

    @Option(help: "A label for the store, e.g. your company's name.")
    var name: String = "escrow"

    @Option(name: .customLong("roster-quorum"), help: "Custodian endorsements every roster change needs.")
    var rosterQuorum: Int = 2

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard (1...255).contains(rosterQuorum) else {
            throw ValidationError("--roster-quorum must be between 1 and 255")
        }
    }

    func execute() throws {
        let path = try store.location()
        if FileSystem.exists(path), !(try FileSystem.list(path).filter { $0 != ".git" }.isEmpty) {
            throw CLIError(
                "\(path) is not empty: a new store needs an empty directory (to join a team, clone its store)"
            )
        }
        let founder = try identity.unlock()
        let context = try StoreContext.create(at: path) { path in
            try Ledger.create(
                at: path,
                founder: founder,
                storeName: name,
                rosterQuorum: rosterQuorum,
                time: EscrowClock.system.now
            )
        }
        if let git = context.git {
            // The marker and the genesis only: `git.commit` refuses any staged path it was not given, so "." would
            // refuse the store's own files.
            let paths = [StoreMarker.fileName, context.ledger.graph.genesis.relativePath]
            _ = try git.commit(paths: paths, message: "escrow: genesis of store '\(name)'")
        }
        let fingerprint = context.ledger.state.genesis.fingerprint
        if json {
            Console.json(
                .object([
                    "store": .string(path), "genesis": .string(context.ledger.state.genesis.description),
                    "fingerprint": .string(fingerprint), "founder": .string(founder.publicIdentity.name),
                    "roster_quorum": .int(Int64(rosterQuorum)),
                ])
            )
            return
        }
        Console.line("Store '\(name)' created at \(path), founded by \(founder.publicIdentity).")
        Console.line("Genesis fingerprint: \(fingerprint)")
        Console.line("Give this fingerprint to every member out of band: they pin it with 'escrow store trust'.")
    }
}
