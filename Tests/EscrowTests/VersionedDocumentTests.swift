import Testing

@testable import Escrow

@Suite struct VersionedDocumentTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8), source: "t.json") }

    @Test func parserErrorsAreMalformedFile() {
        let error = expectEscrowError(.malformedFile) { _ = try parse("{\n  \"a\": tru\n}") }
        #expect(error?.message == "t.json: invalid JSON line 2, column 8: unknown literal")
    }

    /// Fuzzing regression (Fuzz/seeds/event/regression-format-control-char): another `format` was echoed raw, so a
    /// file could put control characters into the one-line message.
    @Test func foreignFormatIsShownPrintable() {
        let error = expectEscrowError(.unsupportedVersion) {
            try VersionedDocument.check(
                .object(["format": .string("escr\u{7F}w-\u{1B}[31m\nx"), "version": .int(1)]),
                format: "escrow-x",
                version: 1,
                source: "f"
            )
        }
        #expect(error?.message == "f: is an 'escr?w-?[31m?x' file, not 'escrow-x'")
    }

    @Test func versionedDocumentCheck() throws {
        try VersionedDocument.check(
            try parse(#"{"format":"escrow-x","version":1}"#),
            format: "escrow-x",
            version: 1,
            source: "f"
        )
        expectEscrowError(.unsupportedVersion) {
            try VersionedDocument.check(
                try parse(#"{"format":"escrow-x","version":2}"#),
                format: "escrow-x",
                version: 1,
                source: "f"
            )
        }
        expectEscrowError(.unsupportedVersion) {
            try VersionedDocument.check(
                try parse(#"{"format":"escrow-y","version":1}"#),
                format: "escrow-x",
                version: 1,
                source: "f"
            )
        }
        expectEscrowError(.malformedFile) {
            try VersionedDocument.check(try parse(#"{"version":1}"#), format: "escrow-x", version: 1, source: "f")
        }
        expectEscrowError(.malformedFile) {
            try VersionedDocument.check(try parse("[]"), format: "escrow-x", version: 1, source: "f")
        }
    }

    struct Signed: Codable, Equatable {
        var format: String
        var version: Int64
        var note: String?
    }

    @Test func decodeRefusesUnknownMembersByNameAndNonCanonicalValues() throws {
        func decode(_ text: String) throws -> Signed {
            try VersionedDocument.decode(
                Signed.self,
                from: Array(text.utf8),
                format: "escrow-x",
                version: 1,
                source: "f"
            )
            .document
        }
        #expect(try decode(#"{"format":"escrow-x","version":1,"note":"n"}"#).note == "n")
        let unknown = expectEscrowError(.malformedFile) {
            _ = try decode(#"{"format":"escrow-x","version":1,"extra":{}}"#)
        }
        #expect(unknown?.message == "f: field 'extra' is not part of the format")
        // A signed document has one spelling: `null` for an absent optional is refused.
        let spelled = expectEscrowError(.malformedFile) {
            _ = try decode(#"{"format":"escrow-x","version":1,"note":null}"#)
        }
        #expect(spelled?.message == "f: not in canonical form")
    }
}
