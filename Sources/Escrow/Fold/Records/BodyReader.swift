/// Reads one JSON object of an event body member by member, for the hand-written decoders of the record types the
/// fold reads most (``StrictBody``): the same rules as the strict `Codable` path (``EventBody``) without its machinery
/// (coding paths, key tracking, containers), which cost most of the fold's time per event.
///
/// Every member must be read exactly once and ``finish()`` checks that none is left (an unknown member); a missing
/// member, `null` (also for an optional), a wrong type, an integer out of range or a non-canonical spelling is
/// refused. Failures carry the path relative to the object (``BodyReader/Failure``), prefixed as they propagate, so
/// the success path builds no path at all.
struct BodyReader {
    /// Why a value was refused, and where (member names and indices, outermost first).
    struct Failure: Error {
        /// The path's segments, outermost first (`"shares"`, `"[2]"`, `"x"`).
        var path: [String]
        /// What is wrong (`is missing`, `is not lowercase hex`, …).
        var problem: String

        /// `field 'shares[2].x' is missing` (or `the document …` at the root).
        var description: String {
            var text = ""
            for segment in path {
                text += segment.hasPrefix("[") || text.isEmpty ? segment : ".\(segment)"
            }
            return text.isEmpty ? "the document \(problem)" : "field '\(NameRules.printable(text))' \(problem)"
        }
    }

    private let members: [String: JSONValue]
    private var read = 0

    /// Starts reading `value`, which must be an object.
    ///
    /// - Parameter value: The value.
    /// - Throws: ``Failure`` if it is not an object.
    init(_ value: JSONValue) throws(Failure) {
        guard case .object(let members) = value else { throw Failure(path: [], problem: "is not an object") }
        self.members = members
    }

    /// Checks that every member was read, given the names the model reads (for the message).
    ///
    /// - Parameter known: The members the decoder reads.
    /// - Throws: ``Failure`` naming the first unknown member in UTF-8 order.
    func finish(known: Set<String>) throws(Failure) {
        guard read == members.count else {
            let unknown = members.keys.filter { !known.contains($0) }.sorted {
                $0.utf8.lexicographicallyPrecedes($1.utf8)
            }
            throw Failure(path: unknown.first.map { [$0] } ?? [], problem: "is not part of the format")
        }
    }

    /// The member `key`, counted as read.
    ///
    /// - Parameter key: The member's name.
    /// - Returns: Its value (never `null`).
    /// - Throws: ``Failure`` if it is missing or `null`.
    mutating func value(_ key: String) throws(Failure) -> JSONValue {
        guard let value = members[key] else { throw Failure(path: [key], problem: "is missing") }
        read += 1
        if case .null = value { throw Failure(path: [key], problem: "is null") }
        return value
    }

    /// The member `key` if present (an absent optional), counted as read; `null` is refused.
    mutating func optional(_ key: String) throws(Failure) -> JSONValue? {
        guard members[key] != nil else { return nil }
        return try value(key)
    }

    /// Decodes member `key` with `decode`, prefixing failures with `key`.
    mutating func decode<T>(_ key: String, _ decode: (JSONValue) throws(Failure) -> T) throws(Failure) -> T {
        let value = try value(key)
        do {
            return try decode(value)
        } catch {
            throw Failure(path: [key] + error.path, problem: error.problem)
        }
    }

    /// Decodes member `key` if present with `decode`, prefixing failures with `key`.
    mutating func decodeIfPresent<T>(_ key: String, _ decode: (JSONValue) throws(Failure) -> T) throws(Failure) -> T? {
        guard members[key] != nil else { return nil }
        return try self.decode(key, decode)
    }

    // MARK: Scalars (each failure's path is relative: the caller prefixes it)

    /// A string.
    static func string(_ value: JSONValue) throws(Failure) -> String {
        guard case .string(let text) = value else { throw mismatch(value, "String") }
        return text
    }

    /// An integer of type `T` (in range).
    static func integer<T: FixedWidthInteger>(_ value: JSONValue, as type: T.Type = T.self) throws(Failure) -> T {
        guard case .int(let number) = value else { throw mismatch(value, "\(T.self)") }
        guard let exact = T(exactly: number) else {
            throw Failure(path: [], problem: "Number \(number) is not representable in Swift.")
        }
        return exact
    }

    /// A boolean.
    static func bool(_ value: JSONValue) throws(Failure) -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(value, "Bool") }
        return flag
    }

    /// Lowercase hex bytes (``HexBytes``).
    static func hex(_ value: JSONValue) throws(Failure) -> HexBytes {
        guard let bytes = Hex.decode(try string(value)) else {
            throw Failure(path: [], problem: "is not lowercase hex")
        }
        return HexBytes(bytes)
    }

    /// Unpadded base64url bytes (``Base64Bytes``).
    static func base64(_ value: JSONValue) throws(Failure) -> Base64Bytes {
        guard let bytes = Base64URL.decode(try string(value)) else {
            throw Failure(path: [], problem: "is not unpadded base64url")
        }
        return Base64Bytes(bytes)
    }

    /// A value of a string enumeration.
    static func enumeration<T: RawRepresentable>(_ value: JSONValue, as type: T.Type = T.self) throws(Failure) -> T
    where T.RawValue == String {
        let text = try string(value)
        guard let result = T(rawValue: text) else {
            throw Failure(
                path: [],
                problem: "Cannot initialize \(T.self) from invalid String value \(NameRules.printable(text))"
            )
        }
        return result
    }

    /// An array, each element decoded with `element` (failures prefixed with the index).
    static func array<T>(_ value: JSONValue, _ element: (JSONValue) throws(Failure) -> T) throws(Failure) -> [T] {
        guard case .array(let elements) = value else { throw mismatch(value, "Array<Any>") }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (index, item) in elements.enumerated() {
            if case .null = item { throw Failure(path: ["[\(index)]"], problem: "is null") }
            do {
                result.append(try element(item))
            } catch {
                throw Failure(path: ["[\(index)]"] + error.path, problem: error.problem)
            }
        }
        return result
    }

    /// An object of strings (`[String: String]`).
    static func stringMap(_ value: JSONValue) throws(Failure) -> [String: String] {
        guard case .object(let members) = value else { throw mismatch(value, "Dictionary<String, Any>") }
        var result: [String: String] = [:]
        result.reserveCapacity(members.count)
        for (key, member) in members {
            guard case .string(let text) = member else {
                throw Failure(path: [key], problem: mismatch(member, "String").problem)
            }
            result[key] = text
        }
        return result
    }

    /// Reads an object with `read`, which reads the members `known` (failures keep their relative path); any other
    /// member is refused.
    static func object<T>(
        _ value: JSONValue,
        known: Set<String>,
        _ read: (inout BodyReader) throws(Failure) -> T
    ) throws(Failure) -> T {
        var reader = try BodyReader(value)
        let result = try read(&reader)
        try reader.finish(known: known)
        return result
    }

    private static func mismatch(_ value: JSONValue, _ type: String) -> Failure {
        if case .null = value { return Failure(path: [], problem: "is null") }
        return Failure(path: [], problem: "is not a valid \(type)")
    }
}

/// A body type with a hand-written strict decoder (``BodyReader``), which ``EventBody`` uses instead of `Codable`;
/// it accepts exactly the bodies the `Codable` path accepts and gives the same model (`EventBodyOracleTests`).
protocol StrictBody: Codable {
    /// Decodes a body value strictly.
    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> Self
}
