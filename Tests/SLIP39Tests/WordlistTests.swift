import Foundation
import Testing

@testable import SLIP39

@Suite struct WordlistTests {
    @Test func compiledListMatchesPublishedFile() throws {
        let text = try String(contentsOf: Vectors.url("wordlist.txt"), encoding: .utf8)
        let published = text.split(separator: "\n").map(String.init)
        #expect(published.count == 1024)
        #expect(SLIP39.Wordlist.words == published)
    }

    @Test func listProperties() {
        let words = SLIP39.Wordlist.words
        #expect(words.count == SLIP39.Wordlist.count)
        #expect(words == words.sorted())
        #expect(
            words.allSatisfy { (4...8).contains($0.utf8.count) && $0.utf8.allSatisfy { (0x61...0x7A).contains($0) } }
        )
        #expect(Set(words.map { $0.prefix(4) }).count == 1024)
    }

    @Test func everyWordLooksUpToItsIndex() {
        for (index, word) in SLIP39.Wordlist.words.enumerated() {
            #expect(SLIP39.Wordlist.index(of: word) == index)
            #expect(SLIP39.Wordlist.index(of: word.uppercased()) == index)
            #expect(SLIP39.Wordlist.packedWord(at: UInt16(index)) == SLIP39.Wordlist.packedWords[index])
        }
    }

    @Test(arguments: ["", "aca", "academi", "academics", "academicx", "acid\0", "ac id", "écid", "zzzz", "academic "])
    func nonWordsAreRejected(candidate: String) {
        #expect(SLIP39.Wordlist.index(of: candidate) == nil)
    }

    @Test func asciiLowercasingIsExact() {
        for byte in UInt8.min...UInt8.max {
            let expected = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            #expect(SLIP39.Wordlist.asciiLowercased(byte) == expected)
        }
    }

    @Test(arguments: [
        ("acadmic", "academic"),  // deletion, same 4-letter prefix
        ("academc", "academic"),
        ("cademic", "academic"),  // missing first letter
        ("aicd", "acid"),  // transposition
        ("ACNE", "acne"),
        ("squeze", "squeeze"),
        ("wolf", "wolf"),
        ("wolfx", "wolf"),
    ])
    func closestWordSuggestion(typed: String, expected: String) {
        #expect(SLIP39.Wordlist.closestWord(to: typed) == expected)
    }

    @Test func editDistanceKnownValues() {
        func distance(_ a: String, _ b: String) -> Int {
            SLIP39.Wordlist.editDistance(Array(a.utf8), Array(b.utf8))
        }
        #expect(distance("", "") == 0)
        #expect(distance("abc", "") == 3)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("ca", "ac") == 1)
        #expect(distance("acid", "aicd") == 1)
        #expect(distance("flaw", "lawn") == 2)
    }
}
