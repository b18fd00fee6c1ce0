/// A JSON document restricted to what escrow's file formats use: no floating-point numbers, integers that fit in
/// `Int64`, objects with unique keys.
///
/// Every escrow file is parsed into this type by ``JSONParser`` (strict: duplicate keys, floats and trailing bytes are
/// refused) and written by ``JSONWriter`` with keys sorted by their UTF-8 bytes, so that one value has exactly one
/// compact serialisation. Signatures and hashes are computed over that canonical form.
public enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int64)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; keys are unique.
    case object([String: JSONValue])

    /// The member `key` of an object, or `nil` (also for non-objects).
    ///
    /// - Parameter key: The member name.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string payload, or `nil` for other cases.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer payload, or `nil` for other cases.
    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// A copy of this object without the member `key` (other values are returned unchanged).
    ///
    /// - Parameter key: The member to drop.
    /// - Returns: The object minus `key`.
    public func removing(_ key: String) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = nil
        return .object(members)
    }

    /// A copy of this object with `key` set to `value` (other values are returned unchanged).
    ///
    /// - Parameters:
    ///   - key: The member to set.
    ///   - value: Its new value.
    /// - Returns: The updated object.
    public func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}
