import Sodium
import Testing

@Suite struct SodiumVersionTests {
    @Test func initializesAndReportsSupportedVersion() throws {
        try Sodium.initialize()
        try Sodium.initialize()  // idempotent
        let parts = Sodium.version.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count == 3)
        #expect(!parts.lexicographicallyPrecedes([1, 0, 18]))
        #expect(Sodium.minimumVersion == "1.0.18")
    }
}
