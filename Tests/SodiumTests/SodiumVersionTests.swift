import Testing
import Sodium

@Suite struct SodiumVersionTests {
    @Test func versionIsAtLeast1_0_18() {
        let parts = Sodium.version.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count == 3)
        #expect(parts.lexicographicallyPrecedes([1, 0, 18]) == false)
    }
}
