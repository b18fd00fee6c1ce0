import Escrow
import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way commands print. Results go to standard output (plain text, or pretty canonical JSON with `--json`);
/// notes, warnings and errors go to standard error. Anything that came from the store or from another person is
/// made terminal-safe (control and invisible formatting characters escaped) before it reaches a terminal.
enum Console {
    /// Whether standard output is a terminal.
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether standard input is a terminal.
    static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// One line of results.
    ///
    /// - Parameter text: The line (escaped for the terminal).
    static func line(_ text: String = "") {
        write(STDOUT_FILENO, NameRules.terminalSafe(text) + "\n")
    }

    /// Several lines of results.
    ///
    /// - Parameter lines: The lines.
    static func lines(_ lines: [String]) {
        for text in lines { line(text) }
    }

    /// A JSON document (pretty canonical, one document per command).
    ///
    /// - Parameter value: The document.
    static func json(_ value: JSONValue) {
        let bytes = JSONWriter.pretty(value)
        bytes.withUnsafeBytes { try? FileDescriptorIO.writeAll(STDOUT_FILENO, $0, name: "standard output") }
    }

    /// A model as a JSON document.
    ///
    /// - Parameter model: The model.
    /// - Throws: ``EscrowError`` if the model cannot be encoded.
    static func json(_ model: some Encodable) throws {
        json(try JSONCoding.encode(model))
    }

    /// Left-aligned columns separated by two spaces.
    ///
    /// - Parameters:
    ///   - header: The column titles.
    ///   - rows: The rows.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows.map { $0.map(NameRules.terminalSafe) }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
            }
            write(STDOUT_FILENO, cells.joined(separator: "  ") + "\n")
        }
    }

    /// A note for people on standard error (progress, next steps).
    ///
    /// - Parameter text: The note.
    static func note(_ text: String) {
        write(STDERR_FILENO, NameRules.terminalSafe(text) + "\n")
    }

    /// A warning on standard error.
    ///
    /// - Parameter text: The warning.
    static func warning(_ text: String) {
        note("warning: \(text)")
    }

    /// The one error line of a failed command.
    ///
    /// - Parameter text: The reason.
    static func error(_ text: String) {
        let single = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        note("error: \(single)")
    }

    private static func write(_ fd: Int32, _ text: String) {
        Array(text.utf8).withUnsafeBytes { try? FileDescriptorIO.writeAll(fd, $0, name: "output") }
    }

    /// `1 vault`, `3 vaults`: a count with its noun, singular or plural.
    ///
    /// - Parameters:
    ///   - count: The count.
    ///   - noun: The singular noun.
    ///   - plural: The plural, if not `noun + "s"`.
    /// - Returns: The phrase.
    static func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    }

    /// A group of vaults in a line about all of them: `a`, `a, b, c` (quoted: `'a', 'b', 'c'`) for up to three,
    /// `200 vaults (a, b, … z)` for more.
    ///
    /// - Parameters:
    ///   - names: Vault names, in the order to show (at least one).
    ///   - quoted: Each name in single quotes.
    /// - Returns: The text.
    static func vaultGroup(_ names: [String], quoted: Bool = false) -> String {
        let shown = quoted ? names.map { "'\($0)'" } : names
        guard shown.count > 3, let first = shown.first, let last = shown.last else {
            return shown.joined(separator: ", ")
        }
        return "\(counted(shown.count, "vault")) (\(first), \(shown[1]), … \(last))"
    }

    /// `a, b, c` for a few vault names; `1000 vaults: a, b, … z` for many (a bulk request's lines stay short).
    ///
    /// - Parameter names: Vault names, in the order to show.
    /// - Returns: The text.
    static func vaultNames(_ names: [String]) -> String {
        guard names.count > 5 else { return names.joined(separator: ", ") }
        return "\(counted(names.count, "vault")): \(names[0]), \(names[1]), … \(names[names.count - 1])"
    }
}
