/// A `Decoder` that reads a ``JSONValue`` directly (no text in between), from a value ``JSONParser`` already checked
/// (so it never sees duplicates or floats). Its messages name the source and the field (`doc: field 'list[0].x' is
/// missing`), as Foundation's `JSONDecoder` would report the same failures.
///
/// By default it refuses an object member the model does not read: it records which members each keyed container
/// consumed and, once the model is decoded, names the first one nobody read (`doc: field 'policy.extra' is not part of
/// the format`). A reader that must tolerate members added by a newer writer passes ``UnknownKeys/ignore``.
///
/// With ``NullOptionals/refuse`` it also refuses `null` for an optional member (`doc: field 'x' is null`): the
/// canonical form leaves an absent optional out (``JSONValueEncoder`` never writes `null` for one), so together with
/// ``UnknownKeys/refuse`` an accepted value is exactly the encoding of the model it decodes to, for models whose
/// scalar decodings are themselves canonical (one spelling per value) — without encoding the model again to compare.
public struct JSONValueDecoder: Sendable {
    /// What the decoder does with object members the model does not read.
    public enum UnknownKeys: Sendable, Hashable {
        /// Fail with ``JSONError/Code/unknownKey`` naming the first unread member.
        case refuse
        /// Skip them.
        case ignore
    }

    /// What the decoder does with an optional member written as `null`.
    public enum NullOptionals: Sendable, Hashable {
        /// Read it as absent (`nil`), as Foundation's `JSONDecoder` does.
        case absent
        /// Fail with ``JSONError/Code/invalidField`` (`field 'x' is null`): canonical documents leave absent optionals
        /// out.
        case refuse
    }

    /// The policy for members the model does not read.
    public var unknownKeys: UnknownKeys
    /// The policy for optional members written as `null`.
    public var nullOptionals: NullOptionals

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - unknownKeys: What to do with members the model does not read (refused by default).
    ///   - nullOptionals: What to do with an optional member written as `null` (read as absent by default).
    public init(unknownKeys: UnknownKeys = .refuse, nullOptionals: NullOptionals = .absent) {
        self.unknownKeys = unknownKeys
        self.nullOptionals = nullOptionals
    }

    /// Decodes a model from a JSON value.
    ///
    /// - Parameters:
    ///   - type: The model type.
    ///   - value: The JSON value.
    ///   - source: What to call the document in messages (usually its path).
    /// - Returns: The model.
    /// - Throws: ``JSONError/Code/invalidField`` (a missing, null (also an optional one, with
    ///   ``NullOptionals/refuse``), mistyped or out-of-range field, or a value the
    ///   model refused with a `DecodingError`), ``JSONError/Code/unknownKey`` (with ``UnknownKeys/refuse``), or
    ///   ``JSONError/Code/rejectedByModel`` carrying what the model threw as ``JSONError/underlying``; each message
    ///   starts with `source` and names the field.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, source: String) throws(JSONError) -> T {
        let tracker = unknownKeys == .refuse ? KeyTracker() : nil
        let options = Options(refusesNullOptionals: nullOptionals == .refuse)
        let model: T
        do {
            model = try T(from: ValueDecoder(value: value, codingPath: [], tracker: tracker, options: options))
        } catch let error as DecodingError {
            let description = JSONPath.printable(Self.describe(error))
            throw JSONError(.invalidField, "\(source): \(description)", underlying: Self.underlying(error))
        } catch {
            throw JSONError(.rejectedByModel, "\(source): \(JSONPath.printable("\(error)"))", underlying: error)
        }
        if let tracker, let field = tracker.firstUnreadMember() {
            throw JSONError(.unknownKey, "\(source): field '\(JSONPath.printable(field))' is not part of the format")
        }
        return model
    }

    private static func underlying(_ error: DecodingError) -> any Error {
        if case .dataCorrupted(let context) = error, let underlying = context.underlyingError { return underlying }
        return error
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(JSONPath.describe(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            return "\(JSONPath.describe(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            return "\(JSONPath.describe(context.codingPath)) is not a valid \(type)"
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError { return "\(underlying)" }
            return "\(JSONPath.describe(context.codingPath)) \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The settings every container of one decoding shares.
private struct Options {
    /// Whether an optional member written as `null` is refused.
    var refusesNullOptionals: Bool
}

/// The members each keyed container of one decoding consumed, to find those no container read.
private final class KeyTracker {
    final class Object {
        let codingPath: [any CodingKey]
        let members: [String: JSONValue]
        var consumed: Set<String> = []

        init(codingPath: [any CodingKey], members: [String: JSONValue]) {
            self.codingPath = codingPath
            self.members = members
        }
    }

    private var objects: [Object] = []

    func register(_ members: [String: JSONValue], at codingPath: [any CodingKey]) -> Object {
        let object = Object(codingPath: codingPath, members: members)
        objects.append(object)
        return object
    }

    /// The path of the first member no container read: objects in the order the model opened them, members in UTF-8
    /// order. A member read by another container over the same object (a model may open one twice) counts as read.
    func firstUnreadMember() -> String? {
        for object in objects where object.consumed.count < object.members.count {
            let unread = object.members.keys.filter { !object.consumed.contains($0) }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let path = JSONPath.render(object.codingPath)
            for key in unread {
                let readElsewhere = objects.contains { other in
                    other !== object && other.consumed.contains(key) && JSONPath.render(other.codingPath) == path
                }
                if !readElsewhere { return JSONPath.render(object.codingPath + [JSONMemberKey(key)]) }
            }
        }
        return nil
    }
}

/// What each kind of value is called in a type-mismatch message.
private func kind(of value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .int: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
    if case .null = value {
        return DecodingError.valueNotFound(
            type,
            .init(codingPath: codingPath, debugDescription: "Expected \(type) value but found null instead.")
        )
    }
    return DecodingError.typeMismatch(
        type,
        .init(
            codingPath: codingPath,
            debugDescription: "Expected to decode \(type) but found \(kind(of: value)) instead."
        )
    )
}

/// The scalar decodings shared by all three container kinds.
private enum Scalar {
    static func bool(_ value: JSONValue, _ codingPath: [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw mismatch(Bool.self, value, codingPath) }
        return bool
    }

    static func string(_ value: JSONValue, _ codingPath: [any CodingKey]) throws -> String {
        guard case .string(let string) = value else { throw mismatch(String.self, value, codingPath) }
        return string
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ value: JSONValue, _ codingPath: [any CodingKey])
        throws -> T
    {
        guard case .int(let number) = value else { throw mismatch(T.self, value, codingPath) }
        guard let exact = T(exactly: number) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Number \(number) is not representable in Swift.")
            )
        }
        return exact
    }

    static func float(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
        mismatch(type, value, codingPath)
    }

    /// Decodes a value: scalars directly, anything else through its `init(from:)`.
    static func decode<T: Decodable>(
        _ type: T.Type,
        _ value: JSONValue,
        _ codingPath: [any CodingKey],
        _ tracker: KeyTracker?,
        _ options: Options
    ) throws -> T {
        if T.self == String.self, let string = try string(value, codingPath) as? T { return string }
        if T.self == Bool.self, let bool = try bool(value, codingPath) as? T { return bool }
        if T.self == Int64.self, let int = try integer(Int64.self, value, codingPath) as? T { return int }
        if T.self == Int.self, let int = try integer(Int.self, value, codingPath) as? T { return int }
        return try T(from: ValueDecoder(value: value, codingPath: codingPath, tracker: tracker, options: options))
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let tracker: KeyTracker?
    let options: Options
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: Any].self, value, codingPath)
        }
        let object = tracker?.register(members, at: codingPath)
        return KeyedDecodingContainer(
            KeyedContainer<Key>(
                members: members,
                codingPath: codingPath,
                tracker: tracker,
                object: object,
                options: options
            )
        )
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([Any].self, value, codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath, tracker: tracker, options: options)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath, tracker: tracker, options: options)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]
    /// Where this container records the members it read (`nil` when unknown members are ignored).
    let tracker: KeyTracker?
    let object: KeyTracker.Object?
    let options: Options

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue).")
            )
        }
        object?.consumed.insert(key.stringValue)
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try Scalar.bool(try value(key), codingPath + [key])
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try Scalar.string(try value(key), codingPath + [key])
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        throw Scalar.float(type, try value(key), codingPath + [key])
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        throw Scalar.float(type, try value(key), codingPath + [key])
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
        try Scalar.integer(type, try value(key), codingPath + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try Scalar.decode(type, try value(key), codingPath + [key], tracker, options)
    }

    // The optional decodings: absent is `nil`; `null` is `nil` too unless the options refuse it (the default
    // implementations would read it as `nil` through `decodeNil(forKey:)`).

    /// The member `key` if present (`nil` if absent), marked as read; `null` refused if the options say so.
    private func optional(_ type: Any.Type, _ key: Key) throws -> JSONValue? {
        guard let value = members[key.stringValue] else { return nil }
        object?.consumed.insert(key.stringValue)
        guard case .null = value else { return value }
        if options.refusesNullOptionals {
            throw DecodingError.valueNotFound(
                type,
                .init(
                    codingPath: codingPath + [key],
                    debugDescription: "An absent optional is left out, not written as null."
                )
            )
        }
        return nil
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try optional(type, key).map { try Scalar.bool($0, codingPath + [key]) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try optional(type, key).map { try Scalar.string($0, codingPath + [key]) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let value = try optional(type, key) else { return nil }
        throw Scalar.float(type, value, codingPath + [key])
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let value = try optional(type, key) else { return nil }
        throw Scalar.float(type, value, codingPath + [key])
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optionalInteger(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optionalInteger(type, key) }

    private func optionalInteger<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T? {
        try optional(type, key).map { try Scalar.integer(type, $0, codingPath + [key]) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try optional(type, key).map { try Scalar.decode(type, $0, codingPath + [key], tracker, options) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder(for: try value(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: try value(key), key).unkeyedContainer()
    }

    private func decoder(for value: JSONValue, _ key: Key) -> ValueDecoder {
        ValueDecoder(value: value, codingPath: codingPath + [key], tracker: tracker, options: options)
    }

    func superDecoder() throws -> any Decoder {
        if members["super"] != nil { object?.consumed.insert("super") }
        return ValueDecoder(
            value: members["super"] ?? .null,
            codingPath: codingPath,
            tracker: tracker,
            options: options
        )
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        if members[key.stringValue] != nil { object?.consumed.insert(key.stringValue) }
        return decoder(for: members[key.stringValue] ?? .null, key)
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let tracker: KeyTracker?
    let options: Options
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], tracker: KeyTracker?, options: Options) {
        self.elements = elements
        self.codingPath = codingPath
        self.tracker = tracker
        self.options = options
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var path: [any CodingKey] { codingPath + [JSONIndexKey(currentIndex)] }

    private mutating func next(_ type: Any.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: path, debugDescription: "Unkeyed container is at end.")
            )
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let path = path
        return try Scalar.bool(try next(type), path)
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let path = path
        return try Scalar.string(try next(type), path)
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let path = path
        throw Scalar.float(type, try next(type), path)
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let path = path
        throw Scalar.float(type, try next(type), path)
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let path = path
        return try Scalar.integer(type, try next(type), path)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = path
        return try Scalar.decode(type, try next(type), path, tracker, options)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let path = path
        return try ValueDecoder(
            value: try next([String: Any].self),
            codingPath: path,
            tracker: tracker,
            options: options
        )
        .container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = path
        return try ValueDecoder(value: try next([Any].self), codingPath: path, tracker: tracker, options: options)
            .unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = path
        return ValueDecoder(value: try next(Any.self), codingPath: path, tracker: tracker, options: options)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let tracker: KeyTracker?
    let options: Options

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try Scalar.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try Scalar.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { throw Scalar.float(type, value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { throw Scalar.float(type, value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Scalar.integer(type, value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Scalar.decode(type, value, codingPath, tracker, options)
    }
}
