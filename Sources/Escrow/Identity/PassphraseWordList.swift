import Foundation

/// One ranked word list of the passphrase strength estimator (``PassphrasePolicy``): common passwords, English words
/// or names, shipped as resources of this module (`Resources/PassphraseLists`, built by
/// `scripts/passphrase-lists.py`).
///
/// A list is one `word rank` per line, sorted by the words' bytes; rank 1 is the most common. Lookups narrow a range
/// of lines one character at a time (``narrow(_:position:byte:)``), so every word starting at one position of a
/// passphrase is found in one walk, without building a string from the passphrase.
struct PassphraseWordList: Sendable {
    /// Which list a word came from (it names the pattern in a refusal).
    enum Source: Sendable {
        case passwords, english, names
    }

    let source: Source
    /// The list's bytes.
    private let bytes: [UInt8]
    /// Where each word starts in ``bytes``.
    private let starts: [Int32]
    /// Each word's length.
    private let lengths: [UInt8]
    /// Each word's rank.
    private let ranks: [Int32]
    /// The longest word.
    let maximumLength: Int

    /// The number of words.
    var count: Int { starts.count }

    /// Parses a list in the format above; malformed lines are skipped.
    init(source: Source, contents: [UInt8]) {
        self.source = source
        bytes = contents
        var starts: [Int32] = []
        var lengths: [UInt8] = []
        var ranks: [Int32] = []
        var longest = 0
        var index = 0
        while index < contents.count {
            let start = index
            while index < contents.count, contents[index] != UInt8(ascii: " "), contents[index] != 0x0A { index += 1 }
            let length = index - start
            var rank: Int32 = 0
            if index < contents.count, contents[index] == UInt8(ascii: " ") {
                index += 1
                while index < contents.count, (0x30...0x39).contains(contents[index]) {
                    rank = rank &* 10 &+ Int32(contents[index] - 0x30)
                    index += 1
                }
            }
            while index < contents.count, contents[index] != 0x0A { index += 1 }
            index += 1
            guard (1...255).contains(length), rank > 0 else { continue }
            starts.append(Int32(start))
            lengths.append(UInt8(length))
            ranks.append(rank)
            longest = max(longest, length)
        }
        self.starts = starts
        self.lengths = lengths
        self.ranks = ranks
        maximumLength = longest
    }

    /// The byte at `position` of word `word`, or -1 past its end (so shorter words sort first).
    @inline(__always)
    private func byte(_ word: Int, _ position: Int) -> Int {
        position < Int(lengths[word]) ? Int(bytes[Int(starts[word]) + position]) : -1
    }

    /// The words of `range` (which share their first `position` bytes) whose byte at `position` is `byte`.
    ///
    /// - Returns: The narrower range; empty if none.
    func narrow(_ range: Range<Int>, position: Int, byte value: UInt8) -> Range<Int> {
        let target = Int(value)
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if byte(middle, position) < target { low = middle + 1 } else { high = middle }
        }
        let first = low
        high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if byte(middle, position) <= target { low = middle + 1 } else { high = middle }
        }
        return first..<low
    }

    /// The rank of the word that is exactly the shared prefix of `range` (`length` bytes long), if it is a word.
    func rank(ofPrefix range: Range<Int>, length: Int) -> Int? {
        guard let first = range.first, Int(lengths[first]) == length else { return nil }
        return Int(ranks[first])
    }

    /// The three shipped lists, loaded once per process; empty if the resources are missing (the estimator then
    /// refuses to judge rather than judge without them).
    static let shipped: [PassphraseWordList] = {
        [(Source.passwords, "passwords"), (.english, "english"), (.names, "names")].compactMap { source, name in
            guard let path = resourcePath(name), let contents = try? FileSystem.read(path, limit: 8 << 20) else {
                return nil
            }
            return PassphraseWordList(source: source, contents: contents)
        }
    }()

    /// The path of a shipped list: in the resource bundle beside the executable (`escrow` and the test runner alike
    /// on Linux). Elsewhere SwiftPM's `Bundle.module` finds it; on Linux that accessor is avoided because it traps
    /// when the bundle is missing, and a missing list must become a refusal, not a crash.
    private static func resourcePath(_ name: String) -> String? {
        let beside = Bundle.main.bundleURL.appendingPathComponent("escrow_Escrow.resources")
        #if os(Linux)
            let bundle = FileSystem.isDirectory(beside.path) ? Bundle(url: beside) : nil
        #else
            let bundle = FileSystem.isDirectory(beside.path) ? Bundle(url: beside) : Bundle.module
        #endif
        return bundle?.url(forResource: name, withExtension: "txt", subdirectory: "PassphraseLists")?.path
    }
}
