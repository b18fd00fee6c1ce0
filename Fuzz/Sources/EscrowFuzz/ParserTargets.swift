import CanonicalJSON
import Escrow
import Sodium

/// `JSONParser.parse`: an accepted document's canonical form parses back to the same value and is a fixed point;
/// the pretty form parses back to the same value too.
enum JSONTarget {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let value = try JSONParser.parse(bytes, source: "fuzz.json")
            let canonical = JSONWriter.canonical(value)
            let again = try JSONParser.parse(canonical, source: "canonical")
            precondition(again == value, "canonical form parses to another value")
            precondition(JSONWriter.canonical(again) == canonical, "canonical form is not a fixed point")
            let pretty = try JSONParser.parse(JSONWriter.pretty(value), source: "pretty")
            precondition(pretty == value, "pretty form parses to another value")
        } catch {
            checkMessage(error.message, "json")
        }
    }
}

/// The strict decoder (`unknownKeys: .refuse`) into real models: an accepted value re-encodes to the same JSON value.
enum StrictDecoderTarget {
    static func run(_ input: inout FuzzInput) {
        let model = input.byte()
        let bytes = input.rest()
        guard let value = try? JSONParser.parse(bytes, source: "fuzz.json") else { return }
        switch model % 8 {
        case 0: check(DepositBody.self, value)
        case 1: check(RequestBody.self, value)
        case 2: check(ApprovalBody.self, value)
        case 3: check(CustomerBundle.self, value)
        case 4: check(RosterBody.self, value)
        case 5: check(VaultCreateBody.self, value)
        case 6: check(ExecutionBody.self, value)
        default: check(CustodyBody.self, value)
        }
    }

    static func check<Model: Codable & Equatable>(_ type: Model.Type, _ value: JSONValue) {
        do {
            let decoded = try JSONValueDecoder(unknownKeys: .refuse).decode(type, from: value, source: "fuzz.json")
            let encoded = try JSONValueEncoder().encode(decoded)
            precondition(encoded == value, "\(type): an accepted value re-encodes differently: \(value) → \(encoded)")
            let again = try JSONValueDecoder(unknownKeys: .refuse).decode(type, from: encoded, source: "again")
            precondition(again == decoded, "\(type): decoding the re-encoding gives another model")
        } catch {
            checkMessage(error.message, "\(type)")
        }
    }
}

/// `CustomerBundle.decode`: an accepted bundle's encoding decodes to the same bundle and is a fixed point.
enum BundleTarget {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let bundle = try CustomerBundle.decode(bytes, source: "bundle.json")
            let encoded = try bundle.encoded()
            let again = try CustomerBundle.decode(encoded, source: "again")
            precondition(again == bundle, "bundle: re-encoding decodes to another bundle")
            precondition(try again.encoded() == encoded, "bundle: encoding is not a fixed point")
        } catch {
            checkError(error, "bundle")
        }
    }
}

/// `IdentityFile.decode`: an accepted file's encoding decodes again and is a fixed point.
enum IdentityFileTarget {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let file = try IdentityFile.decode(bytes, source: "identity.json")
            let encoded = try file.encoded()
            let again = try IdentityFile.decode(encoded, source: "again")
            precondition(try again.encoded() == encoded, "identity file: encoding is not a fixed point")
            precondition(
                try JSONParser.parse(encoded, source: "a") == JSONParser.parse(bytes, source: "b"),
                "identity file: an accepted file re-encodes to another JSON value"
            )
        } catch {
            checkError(error, "identity file")
        }
    }
}

/// The public identity line: an accepted line is the identity's own `line` (after trimming) and parses back to it.
enum IdentityLineTarget {
    static func run(_ input: inout FuzzInput) {
        let text = String(decoding: input.rest(), as: UTF8.self)
        do {
            let identity = try PublicIdentity(line: text)
            let line = identity.line
            precondition(try PublicIdentity(line: line) == identity, "identity line: its own line parses differently")
            let trimmed = text.trimmingCharacters(in: [" ", "\t", "\r", "\n", "\r\n"])
            precondition(trimmed == line, "identity line: accepted \(trimmed.debugDescription), canonical is \(line)")
        } catch {
            checkMessage(error.message, "identity line")
        }
    }
}

/// `OTPAuthURI.parse`: accepted parameters are within the documented limits and survive their metadata round trip;
/// the seed re-encodes as base32 and parses back as a bare seed.
enum OTPAuthTarget {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let parsed = try OTPAuthURI.parse(SecureBytes(copying: bytes), defaultLabel: "entry")
            let parameters = parsed.parameters
            precondition(TOTPParameters.allowedDigits.contains(parameters.digits), "otpauth: digits out of range")
            precondition(TOTPParameters.allowedPeriods.contains(parameters.period), "otpauth: period out of range")
            precondition(TOTPParameters.allowedSeedLengths.contains(parsed.seed.count), "otpauth: seed length")
            precondition(
                try TOTPParameters(metadata: parameters.metadata) == parameters,
                "otpauth: metadata round trip"
            )
            let seed = parsed.seed.withUnsafeBytes { Array($0) }
            let bare = try OTPAuthURI.parse(SecureBytes(copying: Array(Base32.encode(seed).utf8)))
            precondition(bare.seed == parsed.seed, "otpauth: the seed does not survive base32")
        } catch {
            checkMessage(error.message, "otpauth")
        }
    }
}

/// `Base32.decode`: decoding the encoding of an accepted value gives it back; a canonical input is its own encoding.
enum Base32Target {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let decoded = try bytes.withUnsafeBytes { raw throws(EscrowError) in try Base32.decode(raw) }
            let plain = decoded.withUnsafeBytes { Array($0) }
            let encoded = Base32.encode(plain)
            let again = try Array(encoded.utf8).withUnsafeBytes { raw throws(EscrowError) in try Base32.decode(raw) }
            precondition(again == decoded, "base32: encode/decode round trip")
            let canonical = bytes.allSatisfy { (0x41...0x5A).contains($0) || (0x32...0x37).contains($0) }
            precondition(!canonical || Array(encoded.utf8) == bytes, "base32: a canonical input re-encodes differently")
        } catch {
            checkMessage(error.message, "base32")
        }
    }
}
