import Testing

@testable import Escrow

/// How a large re-split is cut into requests: consecutive, covering every target once, each request within the
/// limit unless a single target is heavier, and no request closed earlier than it had to be.
@Suite struct ReshareBatchingTests {
    @Test func exampleCuts() {
        #expect(ReshareBatching.cut([], maximumWeight: 10) == [])
        #expect(ReshareBatching.cut([3, 3, 3, 3], maximumWeight: 6) == [0..<2, 2..<4])
        #expect(ReshareBatching.cut([3, 3, 3, 3], maximumWeight: 5) == [0..<1, 1..<2, 2..<3, 3..<4])
        #expect(ReshareBatching.cut([9, 1, 1, 20, 1], maximumWeight: 10) == [0..<2, 2..<3, 3..<4, 4..<5])
        #expect(ReshareBatching.cut([1, 1, 1], maximumWeight: 0) == [0..<1, 1..<2, 2..<3])
        #expect(ReshareBatching.cut([5, 5], maximumWeight: 150_000) == [0..<2])
    }

    @Test func randomCutsCoverEverythingGreedilyWithinTheLimit() {
        var random = LedgerSplitMix(seed: 0x5EED)
        for round in 0..<500 {
            let weights = (0..<Int(random.next() % 40)).map { _ in Int(random.next() % 30) + 1 }
            let limit = Int(random.next() % 60)
            let ranges = ReshareBatching.cut(weights, maximumWeight: limit)
            #expect(ranges.flatMap { Array($0) } == Array(weights.indices), "round \(round)")
            for (index, range) in ranges.enumerated() {
                let total = weights[range].reduce(0, +)
                #expect(!range.isEmpty)
                #expect(total <= max(1, limit) || range.count == 1, "round \(round): \(range) weighs \(total)")
                if index + 1 < ranges.count {
                    // The next target would not have fitted.
                    #expect(total + weights[ranges[index + 1].lowerBound] > max(1, limit), "round \(round)")
                }
            }
        }
    }
}
