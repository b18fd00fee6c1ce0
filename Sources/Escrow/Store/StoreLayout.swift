/// The files of a store directory:
/// ```
/// STORE/
///   store.json      descriptor (format, version, id)
///   roster.json     the roster
///   audit.log       the audit log (JSON lines)
///   vaults/NAME.json  one file per vault
///   .lock           the advisory lock (flock) every command takes
/// ```
/// While a change commits, the new version of a file is written beside it as `.NAME.pending` (see ``Store``).
public struct StoreLayout: Hashable, Sendable {
    /// The store directory.
    public let root: String

    /// The layout of the store at `root`.
    ///
    /// - Parameter root: The store directory.
    public init(root: String) { self.root = root }

    /// The descriptor's store-relative path.
    public static let descriptorPath = "store.json"
    /// The roster's store-relative path.
    public static let rosterPath = "roster.json"
    /// The audit log's store-relative path.
    public static let auditPath = "audit.log"
    /// The vault directory's store-relative path.
    public static let vaultsPath = "vaults"
    /// The lock file's store-relative path.
    public static let lockPath = ".lock"
    /// The suffix of a pending (not yet committed or not yet renamed) file.
    public static let pendingSuffix = ".pending"

    /// The absolute path of a store-relative path.
    ///
    /// - Parameter relative: E.g. `vaults/acme.json`.
    /// - Returns: `ROOT/vaults/acme.json`.
    public func path(_ relative: String) -> String { "\(root)/\(relative)" }

    /// Where the pending version of a store file is written: `.NAME.pending` in the same directory.
    ///
    /// - Parameter relative: The file's store-relative path.
    /// - Returns: The pending file's store-relative path.
    public static func pendingPath(for relative: String) -> String {
        if let slash = relative.lastIndex(of: "/") {
            return "\(relative[..<slash])/.\(relative[relative.index(after: slash)...])\(pendingSuffix)"
        }
        return ".\(relative)\(pendingSuffix)"
    }

    /// The store file a pending file stands for, or `nil` if `relative` is not a pending path.
    ///
    /// - Parameter relative: A store-relative path.
    /// - Returns: The target's store-relative path.
    public static func target(ofPending relative: String) -> String? {
        let directory: String
        let name: Substring
        if let slash = relative.lastIndex(of: "/") {
            directory = String(relative[...slash])
            name = relative[relative.index(after: slash)...]
        } else {
            directory = ""
            name = Substring(relative)
        }
        guard name.hasPrefix("."), name.hasSuffix(pendingSuffix), name.count > pendingSuffix.count + 1 else {
            return nil
        }
        return directory + name.dropFirst().dropLast(pendingSuffix.count)
    }
}
