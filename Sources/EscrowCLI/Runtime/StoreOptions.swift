import ArgumentParser
import Escrow

/// `--store DIR`: which store a command acts on (default `$ESCROW_STORE`, else `~/.local/share/escrow`).
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The store directory, a git work tree to share it (default: $ESCROW_STORE, else ~/.local/share/escrow).",
            valueName: "dir"
        )
    )
    var path: String?

    /// The store's directory.
    func location() throws -> String {
        try StoreLocation.resolve(option: path, environment: StoreLocation.processEnvironment)
    }

    /// Opens the store, checks it against this user's pin and high-water mark, and folds it.
    ///
    /// - Parameter freshness: `false` only for `sync`, which checks the high-water mark after fetching.
    /// - Returns: The open store.
    /// - Throws: ``CLIError`` or ``EscrowError`` naming the file, event or missing pin.
    func open(freshness: Bool = true) throws -> StoreContext {
        try StoreContext.open(at: try location(), freshness: freshness)
    }
}
