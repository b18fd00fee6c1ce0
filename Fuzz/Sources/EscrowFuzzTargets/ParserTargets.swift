import CanonicalJSON
import Escrow
import Sodium

/// `CanonicalJSON.JSONParser.parse`: an accepted document's canonical form parses back to the same value and is a fixed point;
/// the pretty form parses back to the same value too.
enum JSONTarget {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let value = try CanonicalJSON.JSONParser.parse(bytes, source: "fuzz.json")
            let canonical = JSONWriter.canonical(value)
            let again = try CanonicalJSON.JSONParser.parse(canonical, source: "canonical")
            require(again == value, "canonical form parses to another value")
            require(JSONWriter.canonical(again) == canonical, "canonical form is not a fixed point")
            let pretty = try CanonicalJSON.JSONParser.parse(JSONWriter.pretty(value), source: "pretty")
            require(pretty == value, "pretty form parses to another value")
        } catch {
            checkError(error, "json")
        }
    }
}

/// The strict decoder of event bodies (`unknownKeys: .refuse`, `nullOptionals: .refuse`, as `EventBody.decode`) into
/// real models: an accepted value re-encodes to the same JSON value (the decoder alone refuses every non-canonical
/// body, with no re-encoding to compare).
enum StrictDecoderTarget {
    static func run(_ input: inout FuzzInput) {
        let model = input.byte()
        let bytes = input.rest()
        guard let value = try? CanonicalJSON.JSONParser.parse(bytes, source: "fuzz.json") else { return }
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
        // The hand-written decoders of `EventBody` (deposit, approval, vault.create, custody) accept exactly what the
        // `Codable` path accepts, with the same model.
        let codable = try? JSONValueDecoder(unknownKeys: .refuse, nullOptionals: .refuse)
            .decode(type, from: value, source: "fuzz.json")
        let handWritten = try? EventBody.decode(type, from: value, source: "fuzz.json")
        require(codable == handWritten, "\(type): EventBody.decode and the Codable path disagree on \(value)")
        do {
            let decoded = try JSONValueDecoder(unknownKeys: .refuse, nullOptionals: .refuse)
                .decode(type, from: value, source: "fuzz.json")
            let encoded = try JSONValueEncoder().encode(decoded)
            require(encoded == value, "\(type): an accepted value re-encodes differently: \(value) → \(encoded)")
            let again = try JSONValueDecoder(unknownKeys: .refuse, nullOptionals: .refuse)
                .decode(type, from: encoded, source: "again")
            require(again == decoded, "\(type): decoding the re-encoding gives another model")
        } catch {
            checkError(error, "\(type)")
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
            require(again == bundle, "bundle: re-encoding decodes to another bundle")
            let encodedAgain = try again.encoded()
            require(encodedAgain == encoded, "bundle: encoding is not a fixed point")
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
            let encodedAgain = try again.encoded()
            require(encodedAgain == encoded, "identity file: encoding is not a fixed point")
            let reencoded = try CanonicalJSON.JSONParser.parse(encoded, source: "a")
            let original = try CanonicalJSON.JSONParser.parse(bytes, source: "b")
            require(reencoded == original, "identity file: an accepted file re-encodes to another JSON value")
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
            let again = try PublicIdentity(line: line)
            require(again == identity, "identity line: its own line parses differently")
            let trimmed = String(
                String.UnicodeScalarView(
                    text.unicodeScalars.drop { isBlank($0) }.reversed().drop { isBlank($0) }.reversed()
                )
            )
            require(trimmed == line, "identity line: accepted \(trimmed.debugDescription), canonical is \(line)")
        } catch {
            checkError(error, "identity line")
        }
    }

    /// The characters `PublicIdentity(line:)` trims.
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
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
            require(TOTPParameters.allowedDigits.contains(parameters.digits), "otpauth: digits out of range")
            require(TOTPParameters.allowedPeriods.contains(parameters.period), "otpauth: period out of range")
            require(TOTPParameters.allowedSeedLengths.contains(parsed.seed.count), "otpauth: seed length")
            let fromMetadata = try TOTPParameters(metadata: parameters.metadata)
            require(fromMetadata == parameters, "otpauth: metadata round trip")
            let seed = parsed.seed.withUnsafeBytes { Array($0) }
            let bare = try OTPAuthURI.parse(SecureBytes(copying: Array(Base32.encode(seed).utf8)))
            require(bare.seed == parsed.seed, "otpauth: the seed does not survive base32")
        } catch {
            checkError(error, "otpauth")
        }
    }
}

/// `Base32.decode`: decoding the encoding of an accepted value gives it back; a canonical input is its own encoding.
enum Base32Target {
    static func run(_ input: inout FuzzInput) {
        let bytes = input.rest()
        do {
            let decoded = try bytes.withUnsafeBytes { raw in try Base32.decode(raw) }
            let plain = decoded.withUnsafeBytes { Array($0) }
            let encoded = Base32.encode(plain)
            let again = try Array(encoded.utf8).withUnsafeBytes { raw in try Base32.decode(raw) }
            require(again == decoded, "base32: encode/decode round trip")
            let canonical = bytes.allSatisfy { (0x41...0x5A).contains($0) || (0x32...0x37).contains($0) }
            require(!canonical || Array(encoded.utf8) == bytes, "base32: a canonical input re-encodes differently")
        } catch {
            checkError(error, "base32")
        }
    }
}
