import Testing

@testable import Platform

@Suite struct ProcessHygieneTests {
    @Test func coreDumpsAreDisabled() {
        let status = ProcessHygiene.hardenProcess()
        #expect(status.coreDumpsDisabled)
        #expect(ProcessHygiene.currentStatus().coreDumpsDisabled)
        #if os(Linux)
            #expect(status.notDumpable)
            #expect(ProcessHygiene.currentStatus().notDumpable)
        #endif
        // Idempotent.
        #expect(ProcessHygiene.hardenProcess() == status)
    }
}
