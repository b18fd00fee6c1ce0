import ArgumentParser
import Escrow

/// `--store DIR`: which store a command works on (else `$ESCROW_STORE`, else the user's data directory).
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The store directory (default: $ESCROW_STORE, else ~/.local/share/escrow).",
            valueName: "dir"
        )
    )
    var path: String?

    /// The resolved store directory.
    func location() throws -> String {
        try StoreLocation.resolve(option: path, environment: StoreLocation.processEnvironment)
    }

    /// Opens the store; prints what crash recovery did, if anything, after the command's work.
    func open() throws -> Store {
        try Store.open(at: try location())
    }
}

extension Store {
    /// Reports crash recovery on standard error (never secrets: file names and record numbers only).
    func reportRecovery() {
        for note in recoveryNotes { StandardError.writeLine("note: recovered the store: \(note)") }
    }
}
