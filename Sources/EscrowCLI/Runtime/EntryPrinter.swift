import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prints opened entries (an unlock, a ceremony, a customer's bundle): text for people, JSON for scripts. Values go
/// from guarded memory straight to the file descriptor. A TOTP entry shows its current code and the seconds left; its
/// seed only when asked (`showSeed`).
struct EntryPrinter {
    let fd: Int32
    let name: String
    let showSeed: Bool
    /// Seconds since 1970 for TOTP codes.
    let now: Int64
    /// Whether values are shown with control characters escaped (see ``SecretOutput/writeEscapingControls``): when
    /// `fd` is a terminal, unless the caller decides otherwise. Redirected output stays byte for byte.
    var escapesControls: Bool

    init(fd: Int32, name: String, showSeed: Bool, now: Int64, escapesControls: Bool? = nil) {
        self.fd = fd
        self.name = name
        self.showSeed = showSeed
        self.now = now
        self.escapesControls = escapesControls ?? (isatty(fd) == 1)
    }

    private func write(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: name) }
    }

    private func write(_ secret: SecureBytes) throws {
        try secret.withUnsafeBytes { try FileDescriptorIO.writeAll(fd, $0, name: name) }
    }

    /// `SHA1, 6 digits, every 30 s`.
    private static func describe(_ parameters: TOTPParameters) -> String {
        "\(parameters.algorithm.rawValue), \(parameters.digits) digits, every \(parameters.period) s"
    }

    /// Text: a header per entry, then the value (or the TOTP code).
    func text(_ entries: [OpenedVersion]) throws {
        for entry in entries {
            switch entry.kind {
            case .totp:
                let parameters = try TOTPParameters(metadata: entry.metadata)
                let code = try entry.totpCode(at: now)
                try write(
                    "\(entry.entry) (totp, \(Self.describe(parameters)), deposited by \(entry.depositor) at \(entry.depositedAt)): "
                )
                try write(code.digits)
                try write(" (\(code.secondsLeft)s left)\n")
                if showSeed {
                    try write("  seed (base32): ")
                    try write(Base32.encode(entry.value))
                    try write("\n")
                }
            case .password, .note:
                try write(
                    "\(entry.entry) (\(entry.kind.rawValue), deposited by \(entry.depositor) at \(entry.depositedAt)):\n"
                )
                var escaped = false
                if escapesControls {
                    escaped = try entry.value.withUnsafeBytes {
                        try SecretOutput.writeEscapingControls(
                            $0,
                            keepingLineBreaks: entry.kind == .note,
                            to: fd,
                            name: name
                        )
                    }
                } else {
                    try write(entry.value)
                }
                let endsWithNewline = entry.value.withUnsafeBytes { $0.last == UInt8(ascii: "\n") }
                if !endsWithNewline { try write("\n") }
                if escaped {
                    try write(
                        "  (this value holds control characters, shown above as \\xHH; --json gives it exactly)\n"
                    )
                }
            }
        }
    }

    /// JSON: `{…members, "entries": [{"name", "kind", "version", "created_at", "metadata", "value"} …]}`; a TOTP
    /// entry has `code`, `seconds_left` and its parameters instead of `value` (and `seed` only when asked).
    func json(_ entries: [OpenedVersion], members: [String: JSONValue]) throws {
        let output = SecretJSON(fd: fd, name: name)
        var head = JSONWriter.canonical(.object(members))
        head.removeLast()
        try output.write(head + Array(((members.isEmpty ? "" : ",") + "\"entries\":[").utf8))
        for (index, entry) in entries.enumerated() {
            if index > 0 { try output.write([UInt8(ascii: ",")]) }
            var fields: [String: JSONValue] = [
                "vault": .string(entry.vault), "entry": .string(entry.entry), "kind": .string(entry.kind.rawValue),
                "version": .string(Hex.encode(entry.version)), "depositor": .string(entry.depositor),
                "deposited_at": .string(entry.depositedAt.description),
                "metadata": .object(entry.metadata.mapValues(JSONValue.string)),
            ]
            var secrets: [(String, SecureBytes)] = []
            if entry.kind == .totp {
                let code = try entry.totpCode(at: now)
                fields["seconds_left"] = .int(Int64(code.secondsLeft))
                secrets.append(("code", code.digits))
                if showSeed { secrets.append(("seed", Base32.encode(entry.value))) }
            } else {
                secrets.append(("value", entry.value))
            }
            try output.writeObject(fields, secrets: secrets)
        }
        try output.write(Array("]}\n".utf8))
    }
}
