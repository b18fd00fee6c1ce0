/// A store file's new contents, part of one commit.
public struct FileChange: Sendable {
    /// The store-relative path, e.g. `vaults/acme.json`.
    public let path: String
    /// The complete new contents.
    public let contents: [UInt8]

    /// Pairs a path with new contents.
    ///
    /// - Parameters:
    ///   - path: The store-relative path.
    ///   - contents: The new contents.
    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }
}
