import Testing

@testable import SLIP39

@Suite struct RS1024Tests {
    private func withWords<R>(_ words: [Int], _ body: (UnsafeBufferPointer<UInt16>) -> R) -> R {
        words.map { UInt16($0) }.withUnsafeBufferPointer(body)
    }

    private func checksum(_ data: [Int], _ customization: [UInt8]) -> [Int] {
        var out = [UInt16](repeating: 0, count: 3)
        data.map { UInt16($0) }.withUnsafeBufferPointer { data in
            out.withUnsafeMutableBufferPointer {
                RS1024.writeChecksum(of: data, customization: customization, into: $0)
            }
        }
        return out.map(Int.init)
    }

    @Test func publishedMnemonicsVerifyWithTheirCustomization() throws {
        for vector in try Vectors.intermediates() {
            for share in vector.shares {
                let customization = Array(share.checksumCustomization.utf8)
                #expect(withWords(share.wordIndices) { RS1024.isValid($0, customization: customization) })
                // The other customization string never verifies the same words.
                let other = share.extendable ? SLIP39.customization : SLIP39.extendableCustomization
                #expect(!withWords(share.wordIndices) { RS1024.isValid($0, customization: other) })
                // Recomputing the checksum of the data part gives the last three words.
                #expect(
                    checksum(Array(share.wordIndices.dropLast(3)), customization) == Array(share.wordIndices.suffix(3))
                )
            }
        }
    }

    @Test func everySingleWordErrorIsDetected() throws {
        let share = try #require(try Vectors.intermediates().first?.shares.first)
        let customization = Array(share.checksumCustomization.utf8)
        for position in share.wordIndices.indices {
            for delta in [1, 2, 512, 1023] {
                var words = share.wordIndices
                words[position] = (words[position] + delta) % 1024
                #expect(!withWords(words) { RS1024.isValid($0, customization: customization) })
            }
        }
    }

    @Test func everyTripleWordErrorIsDetectedInASample() throws {
        let share = try #require(try Vectors.intermediates().first?.shares.first)
        let customization = Array(share.checksumCustomization.utf8)
        var rng = SplitMix64(seed: 0x51_1039)
        for _ in 0..<2000 {
            var words = share.wordIndices
            var positions = Set<Int>()
            while positions.count < 3 { positions.insert(Int(rng.next() % UInt64(words.count))) }
            for position in positions { words[position] ^= Int(rng.next() % 1023) + 1 }
            #expect(!withWords(words) { RS1024.isValid($0, customization: customization) })
        }
    }
}
