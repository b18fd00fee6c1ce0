import Foundation
import Testing

/// `escrow demo`, the README's first command: it runs every step through the real commands and leaves nothing behind.
@Suite struct DemoCLITests {
    @Test func demoRunsEveryStepAndCleansUp() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()))
        let result = try fixture.run(["demo"])
        #expect(result.status == 0, "\(result.stderr.split(separator: "\n").filter { $0.hasPrefix("error") })")
        let text = result.stdoutText
        // The scoped unlock shows the TOTP code of root-mfa and nothing of root-password.
        let opens = try #require(text.range(of: "Step 10/17: Alice opens what was approved")).upperBound
        let scoped = try #require(text.range(of: "$ escrow unlock open ", range: opens..<text.endIndex)).upperBound
        let release = try #require(text.range(of: "Step 11/17"))
        let firstOpen = String(text[scoped..<release.lowerBound])
        #expect(firstOpen.contains("root-mfa (totp, SHA1, 6 digits, every 30 s"))
        #expect(!firstOpen.contains("root-password"))
        // The release: the executor writes a bundle, only the customer opens it.
        #expect(text.contains("Customer bundle written to"))
        // Her first, premature open was refused, kept, and published with the open; the auditor sees it.
        #expect(text.contains("(refused with exit status 2, as it should be)"))
        #expect(result.stderr.contains("is not approved yet"))
        #expect(result.stderr.contains("published 1 earlier refused attempt(s) to the store's log"))
        #expect(text.contains("alice  attempt  acme-prod  unlock open of request "))
        let bundle = try #require(text.range(of: "$ escrow bundle open ")).upperBound
        #expect(text[bundle...].contains("root-password (password, deposited by robot"))
        // Bob leaves: the dry run skips the released vault; after the re-split frank helps open.
        #expect(text.contains("acme-dev   skipped   released: never re-split"))
        #expect(text.contains("Removed bob"))
        #expect(text.contains("1 unresolved re-split level(s)"))
        // Both clones converge and the auditor's verify passes.
        #expect(text.contains("findings:  0 violation(s), 0 note(s)"))
        #expect(!result.stderr.contains("warning:"), "\(result.stderr)")
        #expect(text.hasSuffix("creates your real identity.\n"))
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()))
        #expect(after.subtracting(before).filter { $0.hasPrefix("escrow-demo-") }.isEmpty)
    }
}
