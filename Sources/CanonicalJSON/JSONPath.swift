/// An index as a coding key, for paths in errors.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String

    init(_ index: Int) {
        intValue = index
        stringValue = String(index)
    }

    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}

/// How messages name a place in a document.
enum JSONPath {
    /// The dotted path of `codingPath` (`policy.custodians[2].name`), empty for the root.
    static func render(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// `text` for a one-line message: control, format and line-separator characters (which a document can carry in
    /// member names and string values, and which would end the line or drive a terminal) become `?`.
    static func printable(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                output.unicodeScalars.append("?")
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// `field 'a.b[0]'`, or `the document` for the root.
    static func describe(_ codingPath: [any CodingKey]) -> String {
        let text = render(codingPath)
        return text.isEmpty ? "the document" : "field '\(text)'"
    }
}

/// A member name as a coding key, for paths in errors.
struct JSONMemberKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
