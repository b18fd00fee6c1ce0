/// One file changed by the commits a sync would merge, as `git diff-tree --raw` reports it (renames are reported as a
/// deletion and an addition).
///
/// A v2 store only ever grows by new event files, so a sync accepts a change only if it ``isAddedRegularFile`` under
/// `events/`; anything else (a modified or deleted event, a symbolic link, a submodule) is refused.
public struct IncomingChange: Hashable, Sendable, CustomStringConvertible {
    /// What happened to the path.
    public enum Status: Hashable, Sendable, CustomStringConvertible {
        /// `A`: the path is new.
        case added
        /// `M`: the contents (or the executable bit) changed.
        case modified
        /// `D`: the path was removed.
        case deleted
        /// `T`: the type changed (e.g. a file became a symbolic link).
        case typeChanged
        /// Any other letter git reports.
        case other(String)

        /// Parses git's status letter.
        ///
        /// - Parameter letter: `A`, `M`, `D`, `T`, …
        init(_ letter: String) {
            switch letter {
            case "A": self = .added
            case "M": self = .modified
            case "D": self = .deleted
            case "T": self = .typeChanged
            default: self = .other(letter)
            }
        }

        /// `added`, `modified`, `deleted`, `type changed` or the letter.
        public var description: String {
            switch self {
            case .added: return "added"
            case .modified: return "modified"
            case .deleted: return "deleted"
            case .typeChanged: return "type changed"
            case .other(let letter): return "changed (\(letter))"
            }
        }
    }

    /// A git tree entry's mode.
    public enum Mode: Hashable, Sendable, CustomStringConvertible {
        /// `000000`: no entry (the old side of an addition, the new side of a deletion).
        case absent
        /// `100644`: a regular file.
        case regular
        /// `100755`: an executable regular file.
        case executable
        /// `120000`: a symbolic link.
        case symbolicLink
        /// `160000`: a submodule (a commit of another repository).
        case submodule
        /// Any other mode, as git wrote it.
        case other(String)

        /// Parses git's octal mode.
        ///
        /// - Parameter octal: E.g. `100644`.
        init(_ octal: String) {
            switch octal {
            case "000000": self = .absent
            case "100644": self = .regular
            case "100755": self = .executable
            case "120000": self = .symbolicLink
            case "160000": self = .submodule
            default: self = .other(octal)
            }
        }

        /// `regular file`, `symbolic link`, …
        public var description: String {
            switch self {
            case .absent: return "nothing"
            case .regular: return "regular file"
            case .executable: return "executable file"
            case .symbolicLink: return "symbolic link"
            case .submodule: return "submodule"
            case .other(let octal): return "entry of mode \(octal)"
            }
        }
    }

    /// What happened.
    public let status: Status
    /// The mode before (``Mode/absent`` for an addition).
    public let oldMode: Mode
    /// The mode after (``Mode/absent`` for a deletion).
    public let newMode: Mode
    /// The path relative to the work tree's root.
    public let path: String

    /// Creates a change.
    ///
    /// - Parameters:
    ///   - status: What happened.
    ///   - oldMode: The mode before.
    ///   - newMode: The mode after.
    ///   - path: The path relative to the work tree's root.
    public init(status: Status, oldMode: Mode, newMode: Mode, path: String) {
        self.status = status
        self.oldMode = oldMode
        self.newMode = newMode
        self.path = path
    }

    /// The mode that matters: the new one, or the old one for a deletion.
    public var mode: Mode { status == .deleted ? oldMode : newMode }

    /// Whether this is a new regular, non-executable file (the only change a v2 store accepts).
    public var isAddedRegularFile: Bool { status == .added && newMode == .regular }

    /// `events/ab/ab….json: added regular file`.
    public var description: String { "\(path): \(status) \(mode)" }
}
