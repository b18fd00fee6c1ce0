import Foundation
import Sodium

/// The guess-count estimator behind ``PassphrasePolicy``, in the approach of Dropbox's zxcvbn (Wheeler, "zxcvbn:
/// Low-Budget Password Strength Estimation", USENIX Security 2016), written anew for escrow.
///
/// Every substring is matched against the patterns an attacker tries first, each with a guess count: words of the
/// shipped lists (rank × capitalisation × look-alike substitutions, ×2 spelled backwards), keyboard patterns,
/// repeats (the repeated part's guesses × repetitions), sequences (`abcd`, `9753`), years and dates. A dynamic
/// programme then finds the cheapest way to cover the passphrase with matches and unmatched characters (10 guesses
/// each): `l! × Π guesses + 10000^(l−1)` for a cover of `l` pieces, as zxcvbn does, so an attacker is assumed to
/// know the patterns but not how many are combined.
///
/// Only the first ``analysedLength`` bytes are analysed; the rest can only add strength. The passphrase is read in
/// place from guarded memory and copied only into guarded memory; no string is made from it.
struct PassphraseStrength {
    /// Bytes analysed at most.
    static let analysedLength = 64

    /// What a piece of the passphrase is.
    enum Kind: Equatable {
        case word(PassphraseWordList.Source, substituted: Bool, reversed: Bool)
        case keyboard
        case repeated(base: [Kind], unit: Int)
        case sequence
        case year
        case date
        case characters
    }

    /// A match: bytes `start...end` (inclusive) are `kind`, and guessing them takes `guesses`.
    struct Match {
        let start: Int
        let end: Int
        let kind: Kind
        var guesses: Double
        /// Whether the piece has letters (pieces without letters, like digits and symbols, are what people append).
        let hasLetters: Bool
        var length: Int { end - start + 1 }
    }

    /// The estimate: the guesses of the cheapest cover, and the cover.
    let guesses: Double
    let cover: [Match]
    /// For each piece of the cover, which character classes it holds (to name appended digits or symbols).
    let classes: [(letters: Bool, digits: Bool, symbols: Bool)]

    /// Estimates `passphrase`.
    ///
    /// - Parameters:
    ///   - passphrase: The passphrase bytes.
    ///   - lists: The ranked word lists.
    ///   - referenceYear: The current year (recent years are guessed first).
    init(_ passphrase: SecureBytes, lists: [PassphraseWordList], referenceYear: Int) {
        let count = min(passphrase.count, Self.analysedLength)
        let original = SecureBytes(count: count)
        let lower = SecureBytes(count: count)
        let reversed = SecureBytes(count: count)
        passphrase.withUnsafeBytes { source in
            original.withUnsafeMutableBytes { o in
                lower.withUnsafeMutableBytes { l in
                    reversed.withUnsafeMutableBytes { r in
                        for index in 0..<count {
                            let byte = source[index]
                            o[index] = byte
                            l[index] = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                            r[count - 1 - index] = l[index]
                        }
                    }
                }
            }
        }
        let estimate = original.withUnsafeBytes { o in
            lower.withUnsafeBytes { l in
                reversed.withUnsafeBytes { r in
                    Matcher(original: o, lower: l, reversed: r, lists: lists, referenceYear: referenceYear).estimate()
                }
            }
        }
        guesses = estimate.guesses
        cover = estimate.cover
        classes = original.withUnsafeBytes { bytes in
            estimate.cover.map { piece in
                let range = bytes[piece.start...piece.end]
                let letters = range.contains { (0x61...0x7A).contains($0 | 0x20) }
                let digits = range.contains { (0x30...0x39).contains($0) }
                return (
                    letters, digits,
                    range.contains { !(0x61...0x7A).contains($0 | 0x20) && !(0x30...0x39).contains($0) }
                )
            }
        }
    }
}

/// The matchers and the cover search, over buffers borrowed from guarded memory.
private struct Matcher {
    let original: UnsafeRawBufferPointer
    let lower: UnsafeRawBufferPointer
    let reversed: UnsafeRawBufferPointer
    let lists: [PassphraseWordList]
    let referenceYear: Int
    var count: Int { original.count }

    typealias Match = PassphraseStrength.Match

    /// Letters that symbols and digits stand in for (`p@ssw0rd`).
    static let substitutions: [UInt8: [UInt8]] = {
        var table: [UInt8: [UInt8]] = [:]
        let pairs: [(Character, String)] = [
            ("a", "4@"), ("b", "8"), ("c", "({[<"), ("e", "3"), ("g", "69"), ("i", "1!|"), ("l", "1|7"), ("o", "0"),
            ("s", "$5"), ("t", "+7"), ("x", "%"), ("z", "2"),
        ]
        for (letter, symbols) in pairs {
            for symbol in symbols.utf8 {
                table[symbol, default: []].append(UInt8(ascii: letter.unicodeScalars.first ?? "a"))
            }
        }
        return table
    }()

    func estimate() -> (guesses: Double, cover: [Match]) {
        guard count > 0 else { return (1, []) }
        var matches = dictionaryMatches() + keyboardMatches() + sequenceMatches() + yearMatches() + dateMatches()
        matches += repeatMatches(given: matches)
        return cheapestCover(of: 0..<count, matches: matches)
    }

    // MARK: Dictionary words

    private func dictionaryMatches() -> [Match] {
        var found: [Match] = []
        for list in lists {
            for backwards in [false, true] {
                let text = backwards ? reversed : lower
                for start in 0..<count {
                    var substitutionsUsed: [(symbol: UInt8, letter: UInt8)] = []
                    walk(list, text, start: start, position: start, range: 0..<list.count, used: &substitutionsUsed) {
                        end,
                        rank,
                        used in
                        let (from, to) = backwards ? (count - 1 - end, count - 1 - start) : (start, end)
                        if backwards, isPalindrome(from...to) { return }
                        var guesses = Double(rank) * capitalisationVariations(from...to)
                        guesses *= substitutionVariations(text, start...end, used)
                        if backwards { guesses *= 2 }
                        found.append(
                            Match(
                                start: from,
                                end: to,
                                kind: .word(list.source, substituted: !used.isEmpty, reversed: backwards),
                                guesses: guesses,
                                hasLetters: hasLetters(from...to)
                            )
                        )
                    }
                }
            }
        }
        return found
    }

    /// Extends a word from `start` one byte at a time through the list (with look-alike substitutions), reporting
    /// every whole word of 3 or more letters.
    private func walk(
        _ list: PassphraseWordList,
        _ text: UnsafeRawBufferPointer,
        start: Int,
        position: Int,
        range: Range<Int>,
        used: inout [(symbol: UInt8, letter: UInt8)],
        report: (Int, Int, [(symbol: UInt8, letter: UInt8)]) -> Void
    ) {
        guard position < count, position - start < list.maximumLength else { return }
        let byte = text[position]
        var candidates: [(letter: UInt8, symbol: UInt8?)] = [(byte, nil)]
        if let letters = Self.substitutions[byte] {
            for letter in letters where !used.contains(where: { $0.symbol == byte && $0.letter != letter }) {
                candidates.append((letter, byte))
            }
        }
        for (letter, symbol) in candidates {
            let narrowed = list.narrow(range, position: position - start, byte: letter)
            guard !narrowed.isEmpty else { continue }
            let added = symbol.map { symbol in !used.contains(where: { $0.symbol == symbol }) } ?? false
            if let symbol, added { used.append((symbol, letter)) }
            let length = position - start + 1
            if length >= 3, let rank = list.rank(ofPrefix: narrowed, length: length) {
                report(position, rank, used)
            }
            walk(list, text, start: start, position: position + 1, range: narrowed, used: &used, report: report)
            if added { used.removeLast() }
        }
    }

    private func isPalindrome(_ range: ClosedRange<Int>) -> Bool {
        var (a, b) = (range.lowerBound, range.upperBound)
        while a < b {
            if lower[a] != lower[b] { return false }
            a += 1
            b -= 1
        }
        return true
    }

    /// zxcvbn's capitalisation variations: 1 all lower; 2 first, last or all upper; else Σ C(U+L, i).
    private func capitalisationVariations(_ range: ClosedRange<Int>) -> Double {
        var upper = 0
        var lowerCount = 0
        for index in range {
            if (0x41...0x5A).contains(original[index]) { upper += 1 }
            if (0x61...0x7A).contains(original[index]) { lowerCount += 1 }
        }
        if upper == 0 { return 1 }
        let firstUpper = (0x41...0x5A).contains(original[range.lowerBound])
        let lastUpper = (0x41...0x5A).contains(original[range.upperBound])
        if lowerCount == 0 || (upper == 1 && (firstUpper || lastUpper)) { return 2 }
        return (1...min(upper, lowerCount)).reduce(0) { $0 + choose(upper + lowerCount, $1) }
    }

    /// zxcvbn's substitution variations: for each (symbol, letter) used, Σ C(S+U, i) over i ≤ min(S, U), or 2.
    private func substitutionVariations(
        _ text: UnsafeRawBufferPointer,
        _ range: ClosedRange<Int>,
        _ used: [(symbol: UInt8, letter: UInt8)]
    ) -> Double {
        var variations = 1.0
        for (symbol, letter) in used {
            var substituted = 0
            var plain = 0
            for index in range {
                if text[index] == symbol { substituted += 1 }
                if text[index] == letter { plain += 1 }
            }
            if substituted == 0 || plain == 0 {
                variations *= 2
            } else {
                variations *= (1...min(substituted, plain)).reduce(0) { $0 + choose(substituted + plain, $1) }
            }
        }
        return variations
    }

    // MARK: Keyboard patterns

    private func keyboardMatches() -> [Match] {
        var found: [Match] = []
        for graph in [KeyboardGraph.qwerty, KeyboardGraph.keypad] {
            var start = 0
            while start < count - 2 {
                var end = start
                var turns = 0
                var lastDirection: Int?
                var shiftedCount = graph.isShifted(original[start]) ? 1 : 0
                while end + 1 < count, let direction = graph.direction(from: original[end], to: original[end + 1]) {
                    if direction != lastDirection { turns += 1 }
                    lastDirection = direction
                    end += 1
                    if graph.isShifted(original[end]) { shiftedCount += 1 }
                }
                if end - start + 1 >= 3 {
                    found.append(
                        Match(
                            start: start,
                            end: end,
                            kind: .keyboard,
                            guesses: keyboardGuesses(
                                graph,
                                length: end - start + 1,
                                turns: turns,
                                shifted: shiftedCount
                            ),
                            hasLetters: hasLetters(start...end)
                        )
                    )
                }
                start = end > start ? end : start + 1
            }
        }
        return found
    }

    /// zxcvbn's spatial guesses: Σ over lengths and turns of C(i−1, j−1) × starts × degree^j, times the shifted
    /// variations.
    private func keyboardGuesses(_ graph: KeyboardGraph, length: Int, turns: Int, shifted: Int) -> Double {
        var guesses = 0.0
        for i in 2...length {
            for j in 1...max(1, min(turns, i - 1)) {
                guesses += choose(i - 1, j - 1) * graph.startingPositions * pow(graph.averageDegree, Double(j))
            }
        }
        if shifted > 0 {
            let unshifted = length - shifted
            if unshifted == 0 {
                guesses *= 2
            } else {
                guesses *= (1...min(shifted, unshifted)).reduce(0) { $0 + choose(shifted + unshifted, $1) }
            }
        }
        return guesses
    }

    // MARK: Sequences, years, dates

    private func sequenceMatches() -> [Match] {
        var found: [Match] = []
        var start = 0
        while start < count - 2 {
            let delta = Int(original[start + 1]) - Int(original[start])
            var end = start + 1
            if delta != 0, abs(delta) <= 5, sameClass(original[start], original[end]) {
                while end + 1 < count, Int(original[end + 1]) - Int(original[end]) == delta,
                    sameClass(original[end], original[end + 1])
                {
                    end += 1
                }
            }
            if end - start + 1 >= 3 {
                let first = original[start]
                var base: Double
                if Array("aAzZ019".utf8).contains(first) {
                    base = 4
                } else if (0x30...0x39).contains(first) {
                    base = 10
                } else {
                    base = 26
                }
                if delta < 0 { base *= 2 }
                found.append(
                    Match(
                        start: start,
                        end: end,
                        kind: .sequence,
                        guesses: base * Double(end - start + 1),
                        hasLetters: hasLetters(start...end)
                    )
                )
                start = end
            } else {
                start += 1
            }
        }
        return found
    }

    private func sameClass(_ a: UInt8, _ b: UInt8) -> Bool {
        for range: ClosedRange<UInt8> in [0x61...0x7A, 0x41...0x5A, 0x30...0x39]
        where range.contains(a) && range.contains(b) {
            return true
        }
        return false
    }

    private func number(_ range: ClosedRange<Int>) -> Int? {
        var value = 0
        for index in range {
            guard (0x30...0x39).contains(original[index]) else { return nil }
            value = value * 10 + Int(original[index] - 0x30)
        }
        return value
    }

    private func yearSpace(_ year: Int) -> Double { Double(max(abs(year - referenceYear), 20)) }

    private func yearMatches() -> [Match] {
        var found: [Match] = []
        for start in 0..<max(0, count - 3) {
            guard let year = number(start...(start + 3)), (1900...2099).contains(year) else { continue }
            found.append(Match(start: start, end: start + 3, kind: .year, guesses: yearSpace(year), hasLetters: false))
        }
        return found
    }

    /// Dates of 4 to 8 digits (`13121990`, `2024-01-31`, `1.1.24`) in day-month-year, month-day-year or
    /// year-month-day order.
    private func dateMatches() -> [Match] {
        var found: [Match] = []
        for start in 0..<count where start + 3 < count {
            for end in (start + 3)..<min(count, start + 10) {
                if let guesses = dateGuesses(start...end) {
                    found.append(Match(start: start, end: end, kind: .date, guesses: guesses, hasLetters: false))
                }
            }
        }
        return found
    }

    private func dateGuesses(_ range: ClosedRange<Int>) -> Double? {
        // Split into digit groups by one kind of separator, or try every split of a digit run.
        let separators = Array(" /\\_.-".utf8)
        var groups: [ClosedRange<Int>] = []
        var separator: UInt8?
        var groupStart = range.lowerBound
        for index in range {
            let byte = original[index]
            if separators.contains(byte) {
                guard separator == nil || separator == byte, index > groupStart else { return nil }
                separator = byte
                groups.append(groupStart...(index - 1))
                groupStart = index + 1
            } else if !(0x30...0x39).contains(byte) {
                return nil
            }
        }
        guard groupStart <= range.upperBound else { return nil }
        groups.append(groupStart...range.upperBound)
        var candidates: [[Int]] = []
        if separator != nil {
            guard groups.count == 3 else { return nil }
            candidates.append(groups.compactMap { number($0) })
        } else {
            guard (4...8).contains(range.count) else { return nil }
            for first in 1...4 {
                for second in 1...2 where first + second < range.count && range.count - first - second <= 4 {
                    let a = range.lowerBound
                    guard let x = number(a...(a + first - 1)), let y = number((a + first)...(a + first + second - 1)),
                        let z = number((a + first + second)...range.upperBound)
                    else { continue }
                    candidates.append([x, y, z])
                }
            }
        }
        var best: Double?
        for parts in candidates where parts.count == 3 {
            let orders = [
                (parts[2], parts[1], parts[0]), (parts[2], parts[0], parts[1]), (parts[0], parts[1], parts[2]),
            ]
            for (year, month, day) in orders {
                guard (1...12).contains(month), (1...31).contains(day) else { continue }
                let fullYear: Int
                if (1000...2099).contains(year) {
                    fullYear = year
                } else if (0...99).contains(year) {
                    fullYear = year > 50 ? 1900 + year : 2000 + year
                } else {
                    continue
                }
                var guesses = yearSpace(fullYear) * 365
                if separator != nil { guesses *= 4 }
                best = min(best ?? guesses, guesses)
            }
        }
        return best
    }

    // MARK: Repeats

    /// For each start, the repeat covering the most bytes (`abcabcabc`, `aaaa`), its unit reduced to the shortest
    /// period; its guesses are the unit's own cheapest cover times the repetitions (zxcvbn's greedy repeat).
    private func repeatMatches(given matches: [Match]) -> [Match] {
        var found: [Match] = []
        for start in 0..<count {
            var best = (unit: 0, span: 0)
            var unit = 1
            while start + 2 * unit <= count {
                var repeats = 1
                while start + (repeats + 1) * unit <= count,
                    (0..<unit).allSatisfy({ lower[start + $0] == lower[start + repeats * unit + $0] })
                {
                    repeats += 1
                }
                if repeats >= 2, repeats * unit > best.span { best = (unit, repeats * unit) }
                unit += 1
            }
            guard best.unit > 0 else { continue }
            // The shortest period that tiles the span (`abab` repeated is `ab` repeated).
            var period = 1
            while period < best.unit {
                if best.span % period == 0,
                    (period..<best.span).allSatisfy({ lower[start + $0] == lower[start + $0 - period] })
                {
                    break
                }
                period += 1
            }
            let base = cheapestCover(of: start..<(start + period), matches: matches)
            found.append(
                Match(
                    start: start,
                    end: start + best.span - 1,
                    kind: .repeated(base: base.cover.map(\.kind), unit: period),
                    guesses: base.guesses * Double(best.span / period),
                    hasLetters: hasLetters(start...(start + period - 1))
                )
            )
        }
        return found
    }

    private func hasLetters(_ range: ClosedRange<Int>) -> Bool {
        range.contains { (0x61...0x7A).contains(lower[$0]) }
    }

    // MARK: The cheapest cover

    /// zxcvbn's most-guessable match sequence over `window`: the cover minimising `l! × Π guesses + 10000^(l−1)`.
    func cheapestCover(of window: Range<Int>, matches: [Match]) -> (guesses: Double, cover: [Match]) {
        let length = window.count
        guard length > 0 else { return (1, []) }
        let base = window.lowerBound
        var byEnd = [[Match]](repeating: [], count: length)
        for match in matches where match.start >= window.lowerBound && match.end < window.upperBound {
            var adjusted = match
            let floor: Double = match.length == length ? 1 : (match.length == 1 ? 10 : 50)
            adjusted.guesses = max(match.guesses, floor)
            byEnd[match.end - base].append(adjusted)
        }
        // best[k][l]: the cheapest cover of window[0...k] with l pieces (product, total, last piece).
        typealias Entry = (product: Double, total: Double, last: Match)
        var best = [[Entry?]](repeating: [Entry?](repeating: nil, count: length + 1), count: length)
        var piecesUsed = [[Int]](repeating: [], count: length)
        func consider(_ match: Match, pieces: Int) {
            let k = match.end - base
            var product = match.guesses
            if pieces > 1 {
                guard let previous = best[match.start - base - 1][pieces - 1] else { return }
                product *= previous.product
            }
            let total = factorial(pieces) * product + pow(10_000, Double(pieces - 1))
            for other in piecesUsed[k] where other <= pieces {
                if let entry = best[k][other], entry.total <= total { return }
            }
            if best[k][pieces] == nil { piecesUsed[k].append(pieces) }
            best[k][pieces] = (product, total, match)
        }
        func characters(_ from: Int, _ to: Int) -> Match {
            let run = to - from + 1
            let floor: Double = run == length ? 1 : (run == 1 ? 11 : 51)
            return Match(
                start: base + from,
                end: base + to,
                kind: .characters,
                guesses: max(pow(10, Double(run)), floor),
                hasLetters: hasLetters((base + from)...(base + to))
            )
        }
        for k in 0..<length {
            for match in byEnd[k] {
                if match.start == base {
                    consider(match, pieces: 1)
                } else {
                    for pieces in piecesUsed[match.start - base - 1] { consider(match, pieces: pieces + 1) }
                }
            }
            consider(characters(0, k), pieces: 1)
            for i in 1...max(1, k) where i <= k {
                for pieces in piecesUsed[i - 1] {
                    guard let entry = best[i - 1][pieces], entry.last.kind != .characters else { continue }
                    consider(characters(i, k), pieces: pieces + 1)
                }
            }
        }
        let ends = piecesUsed[length - 1].compactMap { pieces in best[length - 1][pieces].map { (pieces, $0) } }
        guard let (pieces, entry) = ends.min(by: { $0.1.total < $1.1.total }) else {
            return (pow(10, Double(length)), [])
        }
        var cover: [Match] = [entry.last]
        var remaining = pieces - 1
        var k = entry.last.start - base - 1
        while remaining > 0, k >= 0, let previous = best[k][remaining] {
            cover.insert(previous.last, at: 0)
            k = previous.last.start - base - 1
            remaining -= 1
        }
        return (entry.total, cover)
    }
}

/// n choose k, as a double.
private func choose(_ n: Int, _ k: Int) -> Double {
    guard k >= 0, k <= n else { return 0 }
    var result = 1.0
    for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
    return result
}

private func factorial(_ n: Int) -> Double {
    (1...max(1, n)).reduce(1.0) { $0 * Double($1) }
}
