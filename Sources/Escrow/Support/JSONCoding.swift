/// Bridges `Codable` models and ``JSONValue``: models are encoded straight into a JSON value and decoded straight from
/// an already strictly parsed one (``JSONParser``), with no text in between, so the decoder never sees duplicates or
/// floats and the encoder produces only what escrow's formats allow (no floating-point numbers).
///
/// The coders are escrow's own (`JSONValueEncoder`, `JSONValueDecoder`) rather than Foundation's `JSONEncoder` and
/// `JSONDecoder`: every vault, record and request is encoded or decoded several times per command, and a bulk re-split
/// does it for thousands of vaults, where Foundation's text round trip dominated the cost.
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
            throw EscrowError(.malformedFile, "cannot encode \(type(of: model)): \(error)")
        }
    }

    /// Decodes a model from a JSON value.
    ///
    /// - Parameters:
    ///   - type: The model type.
    ///   - value: The parsed JSON.
    ///   - source: What to call the document in error messages.
    /// - Returns: The model.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming the missing or malformed field.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, source: String) throws(EscrowError)
        -> T
    {
        do {
            return try JSONValueDecoder().decode(T.self, from: value)
        } catch let error as DecodingError {
            throw EscrowError(.malformedFile, "\(source): \(describe(error))")
        } catch let error as EscrowError {
            throw EscrowError(error.code, "\(source): \(error.message)")
        } catch {
            throw EscrowError(.malformedFile, "\(source): \(error)")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "the document" : "field '\(text)'"
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not a valid \(type)"
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as? EscrowError { return underlying.message }
            return "\(path(context.codingPath)) \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
