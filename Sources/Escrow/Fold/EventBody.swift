/// Strict decoding of an event's body: the typed fields and nothing else.
///
/// A body is accepted exactly when it is the canonical encoding of the model it decodes to, and the decoder checks
/// that itself, without encoding the model again to compare: it refuses a member the model does not read, a missing
/// or mistyped member, `null` for an optional member (the canonical form leaves it out), and every scalar decodes
/// from its only spelling (lowercase hex, unpadded base64url with zero trailing bits, `YYYY-MM-DDTHH:MM:SSZ`,
/// integers in range, enumeration names). `EventBodyOracleTests` hold this against the round trip over random
/// mutations of real bodies.
public enum EventBody {
    /// Decodes the body of `event` as `type`, refusing unknown or non-canonical fields.
    ///
    /// - Parameters:
    ///   - type: The body type.
    ///   - event: The event.
    /// - Returns: The body.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming the event and the field.
    public static func decode<Body: Codable>(_ type: Body.Type, of event: Event) throws(EscrowError) -> Body {
        try decode(
            type,
            from: try event.loadedPayload().body,
            source: "event \(event.id.short) (\(NameRules.printable(event.type)))"
        )
    }

    /// Decodes a body value as `type`, refusing unknown or non-canonical fields (see ``decode(_:of:)``).
    ///
    /// - Parameters:
    ///   - type: The body type.
    ///   - body: The body's JSON value.
    ///   - source: What to call it in messages.
    /// - Returns: The body.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming `source` and the field.
    public static func decode<Body: Codable>(_ type: Body.Type, from body: JSONValue, source: String)
        throws(EscrowError) -> Body
    {
        if let strict = Body.self as? any StrictBody.Type {
            let decoded: any StrictBody
            do {
                decoded = try strict.strictDecode(body)
            } catch {
                throw EscrowError(.malformedFile, "\(source): \(error.description)")
            }
            if let decoded = decoded as? Body { return decoded }
        }
        return try codable(Body.self, from: body, source: source)
    }

    /// The `Codable` path (for the types without a hand-written decoder, and as the reference in tests).
    static func codable<Body: Codable>(_ type: Body.Type, from body: JSONValue, source: String) throws(EscrowError)
        -> Body
    {
        try JSONCoding.decode(Body.self, from: body, source: source, nullOptionals: .refuse)
    }
}
