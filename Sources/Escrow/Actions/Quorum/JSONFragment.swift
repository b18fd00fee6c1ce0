/// A JSON value with its canonical bytes (``JSONWriter/canonical(_:)``), written where the value is made: the
/// workers of a bulk re-split write each contribution's bytes on their own core, and the approval's body is then
/// put together from them without writing (or walking) the whole body again on one thread.
struct JSONFragment: Sendable {
    /// The value.
    let value: JSONValue
    /// `JSONWriter.canonical(value)`.
    let bytes: [UInt8]

    /// Writes `value`.
    ///
    /// - Parameter value: The value.
    init(_ value: JSONValue) {
        self.value = value
        self.bytes = JSONWriter.canonical(value)
    }

    /// An object whose member `name` is the array of `elements` and whose other members are `rest`'s: the value
    /// and the bytes ``init(_:)`` would give, with the elements' bytes copied instead of written again.
    ///
    /// - Parameters:
    ///   - name: The array member; it must sort before every member of `rest` (by UTF-8 bytes) for the bytes to be
    ///     copied, otherwise the object is written whole.
    ///   - elements: Its elements.
    ///   - rest: The other members.
    /// - Returns: The object.
    static func object(_ name: String, array elements: [JSONFragment], rest: [String: JSONValue]) -> JSONFragment {
        var members = rest
        members[name] = .array(elements.map(\.value))
        let value = JSONValue.object(members)
        guard rest[name] == nil, rest.keys.allSatisfy({ name.utf8.lexicographicallyPrecedes($0.utf8) }) else {
            return JSONFragment(value)
        }
        // `{"name":[e₁,e₂,…]` then the rest's members: `}` if there are none, else `,` and the rest without its `{`.
        let restBytes = JSONWriter.canonical(.object(rest))
        let key = JSONWriter.canonical(.string(name))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            key.count + 3 + elements.count + elements.reduce(0) { $0 + $1.bytes.count } + restBytes.count
        )
        bytes.append(UInt8(ascii: "{"))
        bytes += key
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += element.bytes
        }
        bytes.append(UInt8(ascii: "]"))
        if rest.isEmpty {
            bytes.append(UInt8(ascii: "}"))
        } else {
            bytes.append(UInt8(ascii: ","))
            bytes += restBytes.dropFirst()
        }
        return JSONFragment(value: value, bytes: bytes)
    }

    private init(value: JSONValue, bytes: [UInt8]) {
        self.value = value
        self.bytes = bytes
    }
}
