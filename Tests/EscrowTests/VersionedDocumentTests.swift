import Testing

@testable import Escrow

@Suite struct VersionedDocumentTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8), source: "t.json") }

    @Test func parserErrorsAreMalformedFile() {
        let error = expectEscrowError(.malformedFile) { _ = try parse("{\n  \"a\": tru\n}") }
        #expect(error?.message == "t.json: invalid JSON line 2, column 8: unknown literal")
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
}
