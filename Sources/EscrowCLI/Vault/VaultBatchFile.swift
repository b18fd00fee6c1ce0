import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The JSON-lines file of `vault put --batch FILE|-`, one deposit per line:
/// `{"vault": …, "entry": …, "kind": "password"|"totp"|"note", "value": …}` or
/// `{"vault": …, "entry": …, "generate": true[, "length": N]}` (a generated password). `kind` defaults to
/// `password`. Blank lines are skipped. Every line is checked against the store before anything is dealt.
struct VaultBatchFile {
    /// One checked line.
    struct Line {
        /// The 1-based line number.
        let number: Int
        /// The vault.
        let vault: String
        /// The entry.
        let entry: String
        /// The kind.
        let kind: EntryKind
        /// The value as given, or `nil` for a generated password.
        let value: SecureBytes?
        /// The generated password's length.
        let length: Int
    }

    /// The checked lines.
    let lines: [Line]

    /// The largest batch file accepted.
    static let maximumSize = 64 << 20

    /// Reads the file (or standard input for `-`).
    ///
    /// - Parameter path: The path or `-`.
    /// - Returns: The bytes in guarded memory.
    /// - Throws: ``CLIError`` when the file or standard input cannot be read.
    static func read(_ path: String) throws -> SecureBytes {
        do {
            if path == "-" {
                return try FileDescriptorIO.readSecret(STDIN_FILENO, limit: maximumSize, name: "standard input")
            }
            return try FileSystem.readSecret(path: path, limit: maximumSize)
        } catch {
            throw CLIError("cannot read the batch \(path == "-" ? "from standard input" : path): \(error)")
        }
    }

    /// Parses and checks every line against the store (vault exists and is active, entry name, kind, no entry twice).
    ///
    /// - Parameters:
    ///   - bytes: The file.
    ///   - ledger: The open store.
    /// - Throws: ``CLIError`` naming the first bad line and the numbers of the others; nothing is dealt.
    init(_ bytes: SecureBytes, ledger: Ledger) throws {
        var lines: [Line] = []
        var problems: [(Int, String)] = []
        var seen: [String: Int] = [:]
        var number = 0
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> Void in
            var start = 0
            while start <= raw.count {
                var end = start
                while end < raw.count, raw[end] != UInt8(ascii: "\n") { end += 1 }
                number += 1
                let text = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                start = end + 1
                if text.allSatisfy({ [0x20, 0x09, 0x0D].contains($0) }) { continue }
                do {
                    let line = try Self.parse(try VaultBatchLineScanner(text), number: number, ledger: ledger)
                    let key = "\(line.vault)/\(line.entry)"
                    if let first = seen[key] {
                        throw CLIError("\(key) is already deposited by line \(first) of this batch")
                    }
                    seen[key] = number
                    lines.append(line)
                } catch let error as CLIError {
                    problems.append((number, error.message))
                } catch let error as EscrowError {
                    problems.append((number, error.message))
                }
            }
        }
        if let (first, message) = problems.first {
            let others = problems.dropFirst().map { String($0.0) }
            throw CLIError(
                "batch line \(first): \(message)"
                    + (others.isEmpty ? "" : "; other bad lines: \(others.joined(separator: ", "))")
                    + "; nothing was written"
            )
        }
        guard !lines.isEmpty else { throw CLIError("the batch is empty: nothing to deposit") }
        self.lines = lines
    }

    private static func parse(_ scanned: VaultBatchLineScanner, number: Int, ledger: Ledger) throws -> Line {
        let members = scanned.members
        let known: Set<String> = ["vault", "entry", "kind", "value", "generate", "length"]
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw CLIError(
                "unknown member '\(NameRules.printable(unknown))' (known: entry, generate, kind, length, value, vault)"
            )
        }
        guard case .string(let vaultName)? = members["vault"] else { throw CLIError("\"vault\" (a string) is missing") }
        guard case .string(let entry)? = members["entry"] else { throw CLIError("\"entry\" (a string) is missing") }
        var kind = EntryKind.password
        if let given = members["kind"] {
            guard case .string(let text) = given, let parsed = EntryKind(rawValue: text) else {
                throw CLIError("\"kind\" must be password, totp or note")
            }
            kind = parsed
        }
        var generate = false
        if let given = members["generate"] {
            guard case .bool(let flag) = given else { throw CLIError("\"generate\" must be true or false") }
            generate = flag
        }
        var length = PasswordGenerator.defaultLength
        if let given = members["length"] {
            guard generate, case .int(let number) = given, PasswordGenerator.allowedLengths.contains(Int(number)) else {
                throw CLIError(
                    "\"length\" goes with \"generate\": true and is \(PasswordGenerator.allowedLengths.lowerBound)"
                        + "...\(PasswordGenerator.allowedLengths.upperBound)"
                )
            }
            length = Int(number)
        }
        try NameRules.validateEntryName(entry)
        let vault = try ledger.vault(named: vaultName)
        try VaultPutCommand.checkWritable(vault, entry: entry, kind: kind)
        var secret: SecureBytes?
        switch (scanned.value, generate) {
        case (nil, true):
            guard kind == .password else { throw CLIError("\"generate\" makes passwords only, not \(kind.rawValue)") }
        case (let given?, false):
            // Validated now: every line is checked before any deposit.
            _ = try EntryInput.prepare(given, kind: kind, entryName: entry)
            secret = given
        case (_?, true):
            throw CLIError("give \"value\" or \"generate\": true, not both")
        default:
            throw CLIError("\"value\" (a string) or \"generate\": true is missing")
        }
        return Line(number: number, vault: vaultName, entry: entry, kind: kind, value: secret, length: length)
    }
}
