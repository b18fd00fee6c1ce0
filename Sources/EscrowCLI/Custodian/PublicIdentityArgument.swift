import Escrow
import Platform

/// Reads the `PUBLIC-LINE|FILE` argument of `escrow custodian add`: a public identity line, a file holding one (the
/// first non-blank line), or an identity file (its public part).
enum PublicIdentityArgument {
    static func parse(_ argument: String) throws -> PublicIdentity {
        let trimmed = argument.trimmingCharacters(in: [" ", "\t", "\n", "\r", "\r\n"])
        if trimmed.hasPrefix("escrow-custodian-") { return try PublicIdentity(line: trimmed) }
        guard FileSystem.exists(argument) else {
            throw CLIError("'\(NameRules.printable(argument))' is neither a public identity line nor a file")
        }
        let bytes = try FileSystem.read(argument, limit: 1 << 16)
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") {
            return try IdentityFile.decode(bytes, source: argument).publicIdentity
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(whereSeparator: \.isNewline).first(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            throw CLIError("\(argument) is empty")
        }
        do {
            return try PublicIdentity(line: String(line))
        } catch {
            throw EscrowError(error.code, "\(argument): \(error.message)", hints: error.hints)
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
