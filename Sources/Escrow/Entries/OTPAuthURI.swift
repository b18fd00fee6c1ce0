import Sodium

/// Parses TOTP input for a deposit: an `otpauth://totp/LABEL?secret=…&issuer=…&algorithm=…&digits=…&period=…` URI
/// (the Google Authenticator key-URI format, which is what AWS's QR code encodes) or a bare base32 seed.
///
/// The input is a secret, so it stays in guarded memory: the parser only looks for the URI's delimiters (`://`, `/`,
/// `?`, `&`, `=`) and copies the public parts (label and parameters) into strings; the seed goes from the input
/// buffer straight into the constant-time ``Base32`` decoder. Error messages never quote the seed.
public enum OTPAuthURI {
    /// A parsed TOTP deposit: public parameters and the seed.
    public struct Parsed: Sendable {
        /// The public parameters.
        public let parameters: TOTPParameters
        /// The raw seed bytes, in guarded memory.
        public let seed: SecureBytes
    }

    private static let scheme = Array("otpauth://".utf8)

    /// Parses a URI or a bare base32 seed (surrounding whitespace and a trailing newline are ignored).
    ///
    /// - Parameters:
    ///   - input: The deposited bytes.
    ///   - defaultLabel: The label for a bare seed (e.g. the entry name).
    /// - Returns: Parameters and seed.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the problem (never the seed).
    public static func parse(_ input: SecureBytes, defaultLabel: String? = nil) throws(EscrowError) -> Parsed {
        try input.withUnsafeBytes { (all) throws(EscrowError) -> Parsed in
            var start = 0
            var end = all.count
            while start < end, [0x20, 0x09, 0x0A, 0x0D].contains(all[start]) { start += 1 }
            while end > start, [0x20, 0x09, 0x0A, 0x0D].contains(all[end - 1]) { end -= 1 }
            let text = UnsafeRawBufferPointer(rebasing: all[start..<end])
            guard !text.isEmpty else { throw EscrowError(.invalidInput, "the TOTP input is empty") }
            let isURI =
                text.count >= scheme.count
                && zip(text.prefix(scheme.count), scheme).allSatisfy { lowercased($0) == $1 }
            if !isURI {
                let seed = try Base32.decode(text)
                try checkSeedLength(seed)
                return Parsed(parameters: try TOTPParameters(label: defaultLabel), seed: seed)
            }
            return try parseURI(UnsafeRawBufferPointer(rebasing: text[scheme.count...]))
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func checkSeedLength(_ seed: SecureBytes) throws(EscrowError) {
        guard TOTPParameters.allowedSeedLengths.contains(seed.count) else {
            throw EscrowError(
                .invalidInput,
                "the TOTP seed is \(seed.count) bytes; 10 to 128 bytes (16 to 205 base32 characters) are accepted"
            )
        }
    }

    /// Parses everything after `otpauth://`.
    private static func parseURI(_ rest: UnsafeRawBufferPointer) throws(EscrowError) -> Parsed {
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else {
            throw EscrowError(.invalidInput, "otpauth URI has no type (expected otpauth://totp/LABEL?secret=...)")
        }
        let type = String(decoding: rest[..<slash].map(lowercased), as: UTF8.self)
        guard type == "totp" else {
            throw EscrowError(
                .invalidInput,
                "otpauth URI type '\(NameRules.printable(type))' is not supported (only totp)"
            )
        }
        let afterType = rest.index(after: slash)
        let question = rest[afterType...].firstIndex(of: UInt8(ascii: "?")) ?? rest.endIndex
        let label = try percentDecoded(Array(rest[afterType..<question]), what: "label")

        var issuer: String?
        var algorithm = TOTPParameters.Algorithm.sha1
        var digits = 6
        var period = 30
        var secretRange: Range<Int>?
        var seen = Set<String>()
        var position = question < rest.endIndex ? question + 1 : rest.endIndex
        while position < rest.endIndex {
            let end = rest[position...].firstIndex(of: UInt8(ascii: "&")) ?? rest.endIndex
            let equals = rest[position..<end].firstIndex(of: UInt8(ascii: "=")) ?? end
            let key = String(decoding: rest[position..<equals], as: UTF8.self).lowercased()
            let valueStart = min(equals + 1, end)
            guard !key.isEmpty else {
                position = end + 1
                continue
            }
            guard seen.insert(key).inserted else {
                throw EscrowError(.invalidInput, "otpauth URI repeats the parameter '\(NameRules.printable(key))'")
            }
            if key == "secret" {
                secretRange = valueStart..<end
            } else {
                let value = try percentDecoded(Array(rest[valueStart..<end]), what: key)
                switch key {
                case "issuer": issuer = value
                case "algorithm":
                    guard let parsed = TOTPParameters.Algorithm(rawValue: value.uppercased()) else {
                        throw EscrowError(
                            .invalidInput,
                            "otpauth algorithm '\(NameRules.printable(value))' is not SHA1, SHA256 or SHA512"
                        )
                    }
                    algorithm = parsed
                case "digits":
                    guard let number = Int(value) else {
                        throw EscrowError(
                            .invalidInput,
                            "otpauth digits '\(NameRules.printable(value))' is not a number"
                        )
                    }
                    digits = number
                case "period":
                    guard let number = Int(value) else {
                        throw EscrowError(
                            .invalidInput,
                            "otpauth period '\(NameRules.printable(value))' is not a number"
                        )
                    }
                    period = number
                default:
                    break  // image, color, … : harmless extensions, not stored
                }
            }
            position = end + 1
        }
        guard let secretRange, !secretRange.isEmpty else {
            throw EscrowError(.invalidInput, "otpauth URI has no secret parameter")
        }
        let secretText = UnsafeRawBufferPointer(rebasing: rest[secretRange])
        guard !secretText.contains(UInt8(ascii: "%")) else {
            throw EscrowError(.invalidInput, "the otpauth secret must be plain base32 (no %-escapes)")
        }
        let seed = try Base32.decode(secretText)
        try checkSeedLength(seed)
        let labelValue = label.isEmpty ? nil : label
        // A label "Issuer:account" carries the issuer when the parameter is absent.
        if issuer == nil, let labelValue, let colon = labelValue.firstIndex(of: ":") {
            issuer = String(labelValue[..<colon]).trimmingSpaces
        }
        let parameters = try TOTPParameters(
            algorithm: algorithm,
            digits: digits,
            period: period,
            issuer: issuer,
            label: labelValue
        )
        return Parsed(parameters: parameters, seed: seed)
    }

    private static func percentDecoded(_ bytes: [UInt8], what: String) throws(EscrowError) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count,
                    let value = Hex.decode(String(decoding: bytes[index + 1...index + 2], as: UTF8.self).lowercased())
                else { throw EscrowError(.invalidInput, "otpauth \(NameRules.printable(what)) has a broken %-escape") }
                output += value
                index += 3
            } else {
                output.append(byte == UInt8(ascii: "+") && what != "label" ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        var decoder = UTF8()
        var iterator = output.makeIterator()
        var text = ""
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
            case .emptyInput: return text
            case .error: throw EscrowError(.invalidInput, "otpauth \(NameRules.printable(what)) is not valid UTF-8")
            }
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
