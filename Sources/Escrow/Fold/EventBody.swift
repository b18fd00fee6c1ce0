/// Strict decoding of an event's body: the typed fields and nothing else.
public enum EventBody {
    /// Decodes the body of `event` as `type`, refusing unknown or non-canonical fields.
    ///
    /// - Parameters:
    ///   - type: The body type.
    ///   - event: The event.
    /// - Returns: The body.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming the event.
    public static func decode<Body: Codable>(_ type: Body.Type, of event: Event) throws(EscrowError) -> Body {
        let source = "event \(event.id.short) (\(NameRules.printable(event.type)))"
        let content = try event.loadedPayload().body
        let body = try JSONCoding.decode(Body.self, from: content, source: source)
        guard try JSONCoding.encode(body) == content else {
            throw EscrowError(.malformedFile, "\(source): the body has unknown or non-canonical fields")
        }
        return body
    }
}
