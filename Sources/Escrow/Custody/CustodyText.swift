/// How the custody layer names public values in messages.
enum CustodyText {
    /// The first two bytes in lowercase hex followed by `…`: enough to recognise an id, short enough for one line.
    static func shortHex(_ bytes: [UInt8]) -> String {
        bytes.count <= 2 ? Hex.encode(bytes) : Hex.encode(Array(bytes.prefix(2))) + "…"
    }

    /// `x=1,2,4`.
    static func coordinates(_ xs: [UInt8]) -> String {
        "x=" + xs.map(String.init).joined(separator: ",")
    }

    /// `[1, 3]`, or `[]` for a dealt share.
    static func path(_ path: [UInt8]) -> String {
        "[" + path.map(String.init).joined(separator: ", ") + "]"
    }
}
