@_exported public import CanonicalJSON

/// Escrow's entry to the strict parser of `CanonicalJSON` (`CanonicalJSON.JSONParser`): the same rules (integers
/// only, unique keys, UTF-8, 64 levels, nothing trailing), with failures as ``EscrowError/Code/malformedFile``.
///
/// `CanonicalJSON` is re-exported from here: `JSONValue`, `JSONWriter` and the coders are its types.
public enum JSONParser {
    /// The deepest nesting accepted.
    public static let maximumDepth = CanonicalJSON.JSONParser.maximumDepth

    /// Parses one JSON document.
    ///
    /// - Parameters:
    ///   - bytes: The document's bytes (UTF-8).
    ///   - source: What to call the document in error messages (usually its path).
    /// - Returns: The parsed value.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming the source, line and column of the first problem.
    /// - Complexity: O(n) in the document's length.
    public static func parse(_ bytes: [UInt8], source: String) throws(EscrowError) -> JSONValue {
        do {
            return try CanonicalJSON.JSONParser.parse(bytes, source: source)
        } catch {
            throw EscrowError(.malformedFile, error.message)
        }
    }
}
