/// The `format` / `version` header every escrow file starts with, and its check.
///
/// Every document is an object with `"format": "escrow-…"` and `"version": N`. Readers refuse other formats (a roster
/// passed where a vault is expected) and versions they do not know, before looking at any other field.
public enum VersionedDocument {
    /// Checks the header of a parsed document.
    ///
    /// - Parameters:
    ///   - value: The parsed document.
    ///   - format: The expected `format`, e.g. `escrow-vault`.
    ///   - version: The only version this build reads.
    ///   - source: The file's name for messages.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the header is missing or the document is not an object;
    ///   ``EscrowError/Code/unsupportedVersion`` for another format or an unknown version.
    public static func check(_ value: JSONValue, format: String, version: Int64, source: String) throws(EscrowError) {
        guard case .object = value else {
            throw EscrowError(.malformedFile, "\(source): expected a JSON object")
        }
        guard let found = value["format"]?.stringValue else {
            throw EscrowError(.malformedFile, "\(source): not an escrow file (no \"format\" field)")
        }
        guard found == format else {
            throw EscrowError(
                .unsupportedVersion,
                "\(source): is an '\(NameRules.printable(found))' file, not '\(format)'"
            )
        }
        guard let foundVersion = value["version"]?.intValue else {
            throw EscrowError(.malformedFile, "\(source): field 'version' is missing or not an integer")
        }
        guard foundVersion == version else {
            throw EscrowError(
                .unsupportedVersion,
                "\(source): \(format) version \(foundVersion) is not supported (this escrow reads version \(version))"
            )
        }
    }

    /// Parses a signed document strictly: its header (``check(_:format:version:source:)``), its typed fields, and
    /// nothing else (the decoder refuses a member the document does not read, naming it, instead of silently dropping
    /// it from what a signature covers). Because signatures and hashes cover the canonical encoding, the parsed value
    /// must also equal the document's own encoding (a `null` written for an absent optional is refused).
    ///
    /// - Parameters:
    ///   - type: The document type.
    ///   - bytes: The file's contents.
    ///   - format: The expected `format`.
    ///   - version: The only version this build reads.
    ///   - source: The file's name for messages.
    /// - Returns: The document and the parsed value it came from.
    /// - Throws: ``EscrowError/Code/malformedFile`` (not JSON, a missing or mistyped field, an unknown field, a value
    ///   not in canonical form) or
    ///   ``EscrowError/Code/unsupportedVersion``, naming `source`.
    public static func decode<Document: Codable>(
        _ type: Document.Type,
        from bytes: [UInt8],
        format: String,
        version: Int64,
        source: String
    ) throws(EscrowError) -> (document: Document, value: JSONValue) {
        let value = try JSONParser.parse(bytes, source: source)
        try check(value, format: format, version: version, source: source)
        let document = try JSONCoding.decode(Document.self, from: value, source: source)
        guard try JSONCoding.encode(document) == value else {
            throw EscrowError(.malformedFile, "\(source): not in canonical form")
        }
        return (document, value)
    }
}
