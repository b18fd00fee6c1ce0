/// A JSON value with its canonical bytes (``JSONWriter/canonical(_:)``), written where the value is made: the
/// workers of a bulk re-split write each contribution's bytes on their own core, and the approval's body is then
/// put together from them without writing (or walking) the whole body again on one thread.
///
/// The bytes are kept in parts (their concatenation is the canonical JSON): an object put together from tens of
/// thousands of elements refers to the elements' bytes instead of copying them into one buffer, and the event is
/// written from the parts once (``Event/make(store:type:author:parents:previous:time:body:canonicalBody:)``).
struct JSONFragment: Sendable {
    /// The value.
    let value: JSONValue
    /// `JSONWriter.canonical(value)`, in parts.
    let parts: [[UInt8]]

    /// `JSONWriter.canonical(value)` in one buffer.
    var bytes: [UInt8] { parts.count == 1 ? parts[0] : Array(parts.joined()) }

    /// Writes `value`.
    ///
    /// - Parameter value: The value.
    init(_ value: JSONValue) {
        self.value = value
        self.parts = [JSONWriter.canonical(value)]
    }

    /// An object whose member `name` is the array of `elements` and whose other members are `rest`'s: the value
    /// and the bytes ``init(_:)`` would give, with the elements' bytes referred to instead of written again.
    ///
    /// - Parameters:
    ///   - name: The array member; it must sort before every member of `rest` (by UTF-8 bytes) for the elements'
    ///     bytes to be reused, otherwise the object is written whole.
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
        var open: [UInt8] = [UInt8(ascii: "{")]
        open += JSONWriter.canonical(.string(name))
        open += [UInt8(ascii: ":"), UInt8(ascii: "[")]
        var close: [UInt8] = [UInt8(ascii: "]")]
        if rest.isEmpty {
            close.append(UInt8(ascii: "}"))
        } else {
            close.append(UInt8(ascii: ","))
            close += JSONWriter.canonical(.object(rest)).dropFirst()
        }
        let comma = [UInt8(ascii: ",")]
        var parts: [[UInt8]] = [open]
        parts.reserveCapacity(2 + elements.reduce(0) { $0 + 1 + $1.parts.count })
        for (index, element) in elements.enumerated() {
            if index > 0 { parts.append(comma) }
            parts += element.parts
        }
        parts.append(close)
        return JSONFragment(value: value, parts: parts)
    }

    private init(value: JSONValue, parts: [[UInt8]]) {
        self.value = value
        self.parts = parts
    }
}
