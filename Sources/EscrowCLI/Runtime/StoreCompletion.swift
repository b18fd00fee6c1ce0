import ArgumentParser
import Escrow

/// Shell completions of the names in a store: vaults, entries and members (argument-parser's custom completions,
/// run by the shell through `escrow ---completion …`).
///
/// The store is the one the command line being completed names with `--store DIR` (or `--store=DIR`), else
/// `$ESCROW_STORE` and the usual defaults (``StoreLocation``). It is only read (`Ledger.open(at:)`): no pin is
/// checked or written, nothing is asked, and any error completes nothing.
enum StoreCompletion {
    /// Vault names.
    static let vaults = CompletionKind.custom { words, _, prefix in
        names(words: words, prefix: prefix) { ledger in ledger.state.vaults.values.map(\.reference.name) }
    }

    /// Entry names: those of the vaults named on the command line, else of every vault.
    static let entries = CompletionKind.custom { words, index, prefix in
        names(words: words, prefix: prefix) { ledger in
            let state = ledger.state
            let named = words.enumerated().compactMap { $0.offset == index ? nil : state.vault(named: $0.element) }
            return (named.isEmpty ? Array(state.vaults.values) : named).flatMap { $0.entries.keys }
        }
    }

    /// Member names (custodians and depositors).
    static let members = CompletionKind.custom { words, _, prefix in
        names(words: words, prefix: prefix) { ledger in ledger.state.members.values.map(\.identity.name) }
    }

    /// The store directory `words` name, or the default one.
    ///
    /// - Parameter words: The shell words of the command line being completed.
    /// - Returns: The directory, or `nil` when nothing names one.
    static func storePath(in words: [String]) -> String? {
        var option: String?
        for (index, word) in words.enumerated() {
            if word == "--store", index + 1 < words.count {
                option = words[index + 1]
            } else if word.hasPrefix("--store=") {
                option = String(word.dropFirst("--store=".count))
            }
        }
        let environment = StoreLocation.processEnvironment
        if let text = option, text.hasPrefix("~/"), let home = environment["HOME"] {
            option = home + text.dropFirst()
        }
        return try? StoreLocation.resolve(option: option, environment: environment)
    }

    /// The sorted, distinct names `list` reads from the store that start with `prefix`; none on any error.
    private static func names(words: [String], prefix: String, _ list: (Ledger) -> [String]) -> [String] {
        guard let path = storePath(in: words), let ledger = try? Ledger.open(at: path) else { return [] }
        return Set(list(ledger)).filter { $0.hasPrefix(prefix) }.sorted()
    }
}
