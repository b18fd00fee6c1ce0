/// An `Encoder` that builds a ``JSONValue`` directly (no text in between).
///
/// It accepts exactly what the canonical format holds: strings, booleans, integers that fit in `Int64`, arrays,
/// objects with string keys and `nil` (an absent optional is omitted, as with `encodeIfPresent`). Floating-point
/// numbers are refused. Keys are written in the order ``JSONWriter`` sorts them in, whatever order the model used.
public struct JSONValueEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Encodes `value` into a JSON value.
    ///
    /// - Parameter value: The model.
    /// - Returns: Its JSON value.
    /// - Throws: ``JSONError/Code/unencodable`` for a float or an integer outside `Int64` (naming the field), or
    ///   ``JSONError/Code/rejectedByModel`` with what the model threw as ``JSONError/underlying``.
    public func encode(_ value: some Encodable) throws(JSONError) -> JSONValue {
        do {
            let root = Node()
            try value.encode(to: NodeEncoder(node: root, codingPath: []))
            return try root.value(codingPath: [])
        } catch let error as EncodingError {
            guard case .invalidValue(_, let context) = error else {
                throw JSONError(.unencodable, "cannot encode \(type(of: value)): \(error)", underlying: error)
            }
            throw JSONError(
                .unencodable,
                "cannot encode \(type(of: value)): \(JSONPath.describe(context.codingPath)) \(context.debugDescription)",
                underlying: error
            )
        } catch {
            throw JSONError(.rejectedByModel, "cannot encode \(type(of: value)): \(error)", underlying: error)
        }
    }
}

/// One value under construction. Objects and arrays keep their children in their own (uniquely referenced) storage so
/// that adding a member never copies the others.
private final class Node {
    enum Kind {
        case empty
        case scalar(JSONValue)
        case object
        case array
    }

    var kind: Kind = .empty
    var members: [String: Node] = [:]
    var elements: [Node] = []

    func value(codingPath: [any CodingKey]) throws -> JSONValue {
        switch kind {
        case .empty:
            // A type that asked for a container and wrote nothing: an empty object, as Foundation writes it.
            return .object([:])
        case .scalar(let value):
            return value
        case .object:
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(members.count)
            for (key, node) in members { object[key] = try node.value(codingPath: codingPath) }
            return .object(object)
        case .array:
            return .array(try elements.map { try $0.value(codingPath: codingPath) })
        }
    }

    func makeObject() {
        if case .empty = kind { kind = .object }
    }

    func makeArray() {
        if case .empty = kind { kind = .array }
    }
}

private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }
}

/// The scalar encodings shared by all three container kinds.
private enum Scalar {
    static func integer<T: BinaryInteger>(_ value: T, codingPath: [any CodingKey]) throws -> JSONValue {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: codingPath, debugDescription: "integer \(value) does not fit in Int64")
            )
        }
        return .int(exact)
    }

    static func float(_ value: Any, codingPath: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(
            value,
            .init(codingPath: codingPath, debugDescription: "floating-point numbers are not allowed")
        )
    }

    /// Encodes a value into `node`: scalars directly, anything else through its `encode(to:)`.
    static func encode<T: Encodable>(_ value: T, into node: Node, codingPath: [any CodingKey]) throws {
        switch value {
        case let string as String: node.kind = .scalar(.string(string))
        case let bool as Bool: node.kind = .scalar(.bool(bool))
        case let int as Int64: node.kind = .scalar(.int(int))
        case let int as Int: node.kind = .scalar(.int(Int64(int)))
        default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> Node {
        let child = Node()
        node.members[key.stringValue] = child
        return child
    }

    private func set(_ value: JSONValue, _ key: Key) { child(key).kind = .scalar(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        throw Scalar.float(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        throw Scalar.float(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        set(try Scalar.integer(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        set(try Scalar.integer(value, codingPath: codingPath + [key]), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try Scalar.encode(value, into: child(key), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = child(key)
        nested.makeObject()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = child(key)
        nested.makeArray()
        return UnkeyedContainer(node: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: childNamed("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: child(key), codingPath: codingPath + [key])
    }

    private func childNamed(_ name: String) -> Node {
        let child = Node()
        node.members[name] = child
        return child
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.elements.count }

    private func next() -> Node {
        let child = Node()
        node.elements.append(child)
        return child
    }

    private func append(_ value: JSONValue) { next().kind = .scalar(value) }
    private var nextPath: [any CodingKey] { codingPath + [JSONIndexKey(count)] }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { throw Scalar.float(value, codingPath: nextPath) }
    mutating func encode(_ value: Float) throws { throw Scalar.float(value, codingPath: nextPath) }
    mutating func encode(_ value: Int) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.int(value)) }
    mutating func encode(_ value: UInt) throws { append(try Scalar.integer(value, codingPath: nextPath)) }
    mutating func encode(_ value: UInt8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(try Scalar.integer(value, codingPath: nextPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try Scalar.encode(value, into: next(), codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let path = nextPath
        let nested = next()
        nested.makeObject()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let nested = next()
        nested.makeArray()
        return UnkeyedContainer(node: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return NodeEncoder(node: next(), codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue) { node.kind = .scalar(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { throw Scalar.float(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { throw Scalar.float(value, codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.int(value)) }
    mutating func encode(_ value: UInt) throws { set(try Scalar.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(try Scalar.integer(value, codingPath: codingPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try Scalar.encode(value, into: node, codingPath: codingPath)
    }
}
