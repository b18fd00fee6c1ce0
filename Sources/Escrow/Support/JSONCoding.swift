/// Bridges `Codable` models and `JSONValue` with the coders of `CanonicalJSON` (`JSONValueEncoder`,
/// `JSONValueDecoder`), reporting failures as ``EscrowError``: models are encoded straight into a JSON value and
/// decoded straight from an already strictly parsed one (``JSONParser``), with no text in between, so the decoder
/// never sees duplicates or floats and the encoder produces only what escrow's formats allow (no floating-point
/// numbers). Decoding refuses an object member the model does not read, naming it.
///
/// The coders are escrow's own rather than Foundation's `JSONEncoder` and `JSONDecoder`: every vault, record and
/// request is encoded or decoded several times per command, and a bulk re-split does it for thousands of vaults,
/// where Foundation's text round trip dominated the cost.
public enum JSONCoding {
    /// Converts a model to a JSON value.
    ///
    /// - Parameter model: The model.
    /// - Returns: Its JSON value.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the model cannot be encoded (a programming error: a float, an
    ///   integer beyond `Int64`).
    public static func encode(_ model: some Encodable) throws(EscrowError) -> JSONValue {
        do {
            return try JSONValueEncoder().encode(model)
        } catch {
            throw EscrowError(.malformedFile, error.message)
        }
    }

    /// Decodes a model from a JSON value, refusing members the model does not read.
    ///
    /// - Parameters:
    ///   - type: The model type.
    ///   - value: The parsed JSON.
    ///   - source: What to call the document in error messages.
    ///   - nullOptionals: Whether an optional member written as `null` reads as absent (the default) or is refused
    ///     (canonical documents leave absent optionals out).
    /// - Returns: The model.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming the missing, malformed or unknown field (`field 'x.y' is
    ///   not part of the format`); an ``EscrowError`` the model itself throws keeps its code.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from value: JSONValue,
        source: String,
        nullOptionals: JSONValueDecoder.NullOptionals = .absent
    ) throws(EscrowError) -> T {
        do {
            return try JSONValueDecoder(nullOptionals: nullOptionals).decode(T.self, from: value, source: source)
        } catch {
            if error.code == .rejectedByModel, let escrow = error.underlying as? EscrowError {
                throw EscrowError(escrow.code, error.message)
            }
            throw EscrowError(.malformedFile, error.message)
        }
    }
}
