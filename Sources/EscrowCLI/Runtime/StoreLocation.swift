import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the store is: `--store DIR`, else `$ESCROW_STORE`, else `$XDG_DATA_HOME/escrow`, else
/// `~/.local/share/escrow`.
public enum StoreLocation {
    /// The environment variable naming the store.
    public static let environmentVariable = "ESCROW_STORE"

    /// Resolves the store directory.
    ///
    /// - Parameters:
    ///   - option: The `--store` value, if given.
    ///   - environment: The environment (injectable for tests).
    /// - Returns: The directory path.
    /// - Throws: ``EscrowError/Code/invalidInput`` if nothing names a directory (no `HOME` either).
    public static func resolve(option: String?, environment: [String: String]) throws(EscrowError) -> String {
        if let option, !option.isEmpty { return trimmed(option) }
        if let path = environment[environmentVariable], !path.isEmpty { return trimmed(path) }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return trimmed(data) + "/escrow" }
        if let home = environment["HOME"], !home.isEmpty { return trimmed(home) + "/.local/share/escrow" }
        throw EscrowError(.invalidInput, "no store given: use --store DIR or set \(environmentVariable)")
    }

    /// The process environment.
    public static var processEnvironment: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// The environment variable naming this user's state directory (trust pins, request keys).
    public static let stateVariable = "ESCROW_STATE_DIR"

    /// This user's state directory: `$ESCROW_STATE_DIR`, else `$XDG_STATE_HOME/escrow`, else
    /// `~/.local/state/escrow`. It holds the genesis pins and high-water marks of the stores this user has seen, and
    /// the keys of open requests; it is never inside a store.
    ///
    /// - Parameter environment: The environment.
    /// - Returns: The directory path.
    /// - Throws: ``EscrowError/Code/invalidInput`` if nothing names a directory.
    public static func stateDirectory(environment: [String: String]) throws(EscrowError) -> String {
        if let path = environment[stateVariable], !path.isEmpty { return trimmed(path) }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return trimmed(state) + "/escrow" }
        if let home = environment["HOME"], !home.isEmpty { return trimmed(home) + "/.local/state/escrow" }
        throw EscrowError(.invalidInput, "no state directory: set \(stateVariable) or HOME")
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
