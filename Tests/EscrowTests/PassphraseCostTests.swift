import Escrow
import Sodium
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The estimator's cost stays bounded on pathological passphrases (long runs of ambiguous look-alikes, repeats).
@Suite struct PassphraseCostTests {
    @Test(arguments: [
        String(repeating: "1", count: 300), String(repeating: "|!1|", count: 60), String(repeating: "a", count: 500),
        String(repeating: "ab", count: 200), String(repeating: "p@ssw0rd", count: 30),
        String(repeating: "qwerty", count: 40),
    ])
    func pathologicalPassphrasesAreJudgedQuickly(_ text: String) {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let estimate = PassphrasePolicy.estimate(SecureBytes(copying: Array(text.utf8)))
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        #expect(estimate != nil)
        // About a second at most in a debug build on a busy machine; far less in release.
        #expect(seconds < 10, "took \(seconds) s")
        #expect((estimate?.guesses ?? .infinity) < PassphrasePolicy.minimumGuesses)
    }
}
