import Sodium
import Testing

@testable import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Regression tests for the security review's hardening findings (bounded reads, hidden characters, control
/// characters in deposited values).
@Suite struct HardeningTests {
    // MARK: Bounded reads

    @Test func fileOverTheLimitIsRefusedWithAnExactMessage() throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "escrow-bounded-")
        defer { try? FileSystem.removeTree(directory) }
        let path = directory + "/big"
        let limit = 64 * 1024
        try DurableFile.write([UInt8](repeating: 0x41, count: limit + 100), to: path, mode: 0o600)
        let plain = expectEscrowError(.invalidInput) { _ = try FileSystem.read(path, limit: limit) }
        #expect(plain?.message == "\(path) is larger than 65536 bytes")
        let secret = expectEscrowError(.invalidInput) { _ = try FileSystem.readSecret(path: path, limit: limit) }
        #expect(secret?.message == "\(path) is larger than 65536 bytes")
        // Exactly at the limit is accepted.
        try DurableFile.write([UInt8](repeating: 0x41, count: limit), to: path, mode: 0o600)
        #expect(try FileSystem.read(path, limit: limit).count == limit)
        #expect(try FileSystem.readSecret(path: path, limit: limit).count == limit)
    }

    /// Writes `count` bytes into a pipe from another thread, runs `body` on the read end, then returns how many
    /// bytes `body` left unread.
    private func leftInPipe(after count: Int, _ body: (Int32) -> Void) throws -> Int {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (reader, writer) = (ends[0], ends[1])
        let writing = PipeWriter(count: count, fd: writer)
        writing.start()
        body(reader)
        var rest = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            rest += got
        }
        writing.join()
        close(reader)
        return rest
    }

    @Test func pipeReadsStopOneByteAfterTheLimit() throws {
        let limit = 64 * 1024
        var message: String?
        let restSecret = try leftInPipe(after: limit + 100) { fd in
            do {
                _ = try FileSystem.readSecret(fd: fd, limit: limit, name: "standard input")
            } catch let error as EscrowError {
                message = error.message
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(message == "standard input is larger than 65536 bytes")
        #expect(restSecret == 99)
        message = nil
        let restPlain = try leftInPipe(after: limit + 100) { fd in
            do {
                _ = try FileSystem.read(fd: fd, limit: limit, name: "standard input")
            } catch let error as EscrowError {
                message = error.message
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(message == "standard input is larger than 65536 bytes")
        #expect(restPlain == 99)
    }

    // MARK: Hidden characters

    @Test func bidiOverridesAndControlsAreRefusedByCodePoint() {
        let cases: [(String, String)] = [
            (
                "approved by \u{202E}nacilbuper",
                "the reason contains U+202E RIGHT-TO-LEFT OVERRIDE: invisible "
                    + "formatting characters are not allowed"
            ),
            (
                "ticket\u{200B}42",
                "the reason contains U+200B ZERO WIDTH SPACE: invisible formatting characters "
                    + "are not allowed"
            ),
            (
                "a\u{2066}b",
                "the reason contains U+2066 LEFT-TO-RIGHT ISOLATE: invisible formatting characters are "
                    + "not allowed"
            ),
            ("x\u{1B}[2J", "the reason contains U+001B ESCAPE: control characters are not allowed"),
            ("x\u{9B}1m", "the reason contains U+009B CONTROL SEQUENCE INTRODUCER: control characters are not allowed"),
            ("two\nlines", "the reason contains U+000A LINE FEED: control characters are not allowed"),
            ("x\u{2028}y", "the reason contains U+2028 LINE SEPARATOR: line breaks are not allowed"),
        ]
        for (reason, expected) in cases {
            let error = expectEscrowError(.invalidInput) { try NameRules.validateReason(reason) }
            #expect(error?.message == expected)
        }
        #expect(throws: Never.self) { try NameRules.validateReason("Quarterly root-password check — ticket #42") }
        // The same rule masks a refusal line recorded as an attempt: hidden characters become '?', the rest stays.
        let masked = NameRules.withoutHiddenCharacters("é\u{1B}[2J\u{202E}x\u{2028}y — ok", limit: 9)
        #expect(masked == "é?[2J?x?y")
        #expect(NameRules.firstHiddenCharacter(in: masked) == nil)
    }

    @Test func metadataAndEmailRefuseHiddenCharacters() {
        let metadata = expectEscrowError(.invalidInput) {
            _ = try VaultMetadata.parse(["description=prod \u{202E}gnp.exe"])
        }
        #expect(
            metadata?.message
                == "metadata description='prod ?gnp.exe': contains U+202E RIGHT-TO-LEFT OVERRIDE: invisible formatting "
                + "characters are not allowed"
        )
        let c1 = expectEscrowError(.invalidInput) { _ = try VaultMetadata.parse(["account_name=acme\u{9D}52"]) }
        #expect(
            c1?.message
                == "metadata account_name='acme?52': contains U+009D OPERATING SYSTEM COMMAND: control characters are "
                + "not allowed"
        )
        let email = expectEscrowError(.invalidInput) { try PublicIdentity.validateEmail("alice\u{200B}@example.com") }
        #expect(
            email?.message
                == "the e-mail address contains U+200B ZERO WIDTH SPACE: invisible formatting characters are not allowed"
        )
        let totp = expectEscrowError(.invalidInput) { _ = try TOTPParameters(issuer: "AWS\u{202E}") }
        #expect(
            totp?.message
                == "TOTP issuer contains U+202E RIGHT-TO-LEFT OVERRIDE: invisible formatting characters are not allowed"
        )
        #expect(NameRules.terminalSafe("a\u{202E}b\u{1B}c") == "a?b?c")
    }

    @Test func namesNameTheHiddenCharacterAndSuggestLowerCase() {
        let hidden = expectEscrowError(.invalidInput) { try NameRules.validateCustodianName("ali\u{202E}ce") }
        #expect(
            hidden?.message
                == "custodian name 'ali?ce' contains U+202E RIGHT-TO-LEFT OVERRIDE: invisible formatting characters "
                + "are not allowed"
        )
        let upper = expectEscrowError(.invalidInput) { try NameRules.validateCustodianName("Alice") }
        #expect(upper?.message == "custodian name has capital letters: use lower case: 'Alice' → 'alice'")
        let vault = expectEscrowError(.invalidInput) { try NameRules.validateVaultName("ACME-Prod") }
        #expect(vault?.message == "vault name has capital letters: use lower case: 'ACME-Prod' → 'acme-prod'")
        // Lowering would not make it valid: the usual rule is named instead.
        let other = expectEscrowError(.invalidInput) { try NameRules.validateCustodianName("Al ice") }
        #expect(
            other?.message == "custodian name 'Al ice' may only contain lowercase letters, digits, '.', '_' and '-'"
        )
        #expect(throws: Never.self) { try NameRules.validateEntryName("MFA.virtual") }
    }

    // MARK: Control characters in deposited values

    @Test func passwordsWithControlCharactersAreRefusedAtDeposit() {
        for planted in ["pw\u{1B}]52;c;cm0gLXJmIH4=\u{07}", "pw\tx", "pw\u{7F}", "pw\u{9B}31m", "a\nb"] {
            let error = expectEscrowError(.invalidInput) {
                _ = try EntryInput.prepare(secure(planted), kind: .password, entryName: "root-password")
            }
            #expect(
                error?.message
                    == "the password for 'root-password' contains control characters (such as ESC), which are not "
                    + "allowed"
            )
        }
        // The trailing newline echo adds is still dropped; ordinary and non-ASCII passwords pass.
        for accepted in ["hunter2\n", "hunter2\r\n", "Pässwörd-€-2024!"] {
            #expect(throws: Never.self) {
                _ = try EntryInput.prepare(secure(accepted), kind: .password, entryName: "root-password")
            }
        }
    }

    @Test func notesKeepLineBreaksAndTabsButNoOtherControls() throws {
        let note = try EntryInput.prepare(secure("line 1\n\tline 2\r\nline 3\n"), kind: .note, entryName: "recovery")
        #expect(string(note.value) == "line 1\n\tline 2\r\nline 3\n")
        for planted in ["x\u{1B}[2Jy", "x\ry", "x\u{0}y", "x\u{85}y"] {
            let error = expectEscrowError(.invalidInput) {
                _ = try EntryInput.prepare(secure(planted), kind: .note, entryName: "recovery")
            }
            #expect(
                error?.message
                    == "the note for 'recovery' contains control characters other than line breaks and tabs (such as "
                    + "ESC), which are not allowed"
            )
        }
    }
}

/// A POSIX thread that writes `count` bytes to `fd` and closes it (ignoring EPIPE once the reader stops).
private final class PipeWriter: @unchecked Sendable {
    private let count: Int
    private let fd: Int32
    private var thread = pthread_t()

    init(count: Int, fd: Int32) {
        self.count = count
        self.fd = fd
    }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(
            &thread,
            nil,
            { raw in
                guard let raw else { return nil }
                let me = Unmanaged<PipeWriter>.fromOpaque(raw).takeRetainedValue()
                let chunk = [UInt8](repeating: 0x5A, count: 4096)
                var left = me.count
                while left > 0 {
                    let wrote = chunk.withUnsafeBytes { write(me.fd, $0.baseAddress, min(left, $0.count)) }
                    if wrote <= 0 { break }
                    left -= wrote
                }
                close(me.fd)
                return nil
            },
            box
        )
    }

    func join() { pthread_join(thread, nil) }
}
