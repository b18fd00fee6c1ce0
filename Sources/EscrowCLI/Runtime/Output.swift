import Escrow

/// Standard output for public results: plain text for people, canonical pretty JSON for scripts (`--json`).
enum Output {
    static func line(_ text: String = "") {
        print(text)
        flushStandardOutput()
    }

    static func json(_ value: JSONValue) {
        print(String(decoding: JSONWriter.pretty(value), as: UTF8.self), terminator: "")
        flushStandardOutput()
    }

    static func json(_ model: some Encodable) throws {
        json(try JSONCoding.encode(model))
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index])
            }
            print(cells.joined(separator: "  "))
        }
        flushStandardOutput()
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
