import Shamir
import Testing

@Suite struct ShamirErrorTests {
    @Test func errorsCompareByCode() {
        #expect(ShamirError(.tooFewShares, "a") == ShamirError(.tooFewShares, "b"))
        #expect(ShamirError(.tooFewShares, "a") != ShamirError(.zeroCoordinate, "a"))
        #expect(ShamirError(.checksumMismatch, "line 3: checksum").description == "line 3: checksum")
    }
}
