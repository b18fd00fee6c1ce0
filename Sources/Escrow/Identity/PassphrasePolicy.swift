import Foundation
import Sodium

/// The strength rule for identity passphrases: at least ``minimumLength`` bytes, and at least ``minimumGuesses``
/// guesses for an attacker who tries common passwords, words, names, keyboard patterns, repeats, sequences, years
/// and dates first, with capitals and look-alike substitutions (`p@ssw0rd`). `escrow custodian new` and `passwd`
/// refuse weaker passphrases unless `--force` is given, and say why: "a common password with a year appended".
///
/// The estimate follows zxcvbn's approach (see `PassphraseStrength`): every pattern found has a guess count (a
/// word's rank in the shipped lists of common passwords, English words and names, times its variations), and the
/// passphrase costs the cheapest combination of patterns and leftover characters. Four random words or 20 random
/// characters are far above the bar; `Password123!`, `P@ssw0rd2024`, `Summer2024!!` and `passwordpassword` are far
/// below it, although each mixes character classes.
///
/// - Important: Unlike the rest of escrow's secret handling, this check is not constant-time: matching against word
///   lists branches on the passphrase. It runs once, on the custodian's own machine, when a passphrase is chosen;
///   the passphrase is only read in place and copied into guarded memory, never into a string.
public enum PassphrasePolicy {
    /// The shortest accepted passphrase, in bytes.
    public static let minimumLength = 12

    /// The fewest guesses an accepted passphrase may take: 10^10.
    ///
    /// Why this number: an identity file is sealed with Argon2id at the `moderate` profile (3 passes over 256 MiB;
    /// libsodium documents about 0.7 s on a 2.8 GHz Core i7 per derivation, and it is memory-hard, so GPUs gain
    /// little). 10^10 guesses then cost about 7 × 10^9 core-seconds, some 200 core-years: on average half of that,
    /// still about a month for an attacker with a thousand cores who has already stolen the file, and a stolen
    /// identity is only one custodian of a quorum (the others must be compromised too, and `custodian remove` plus a
    /// re-split ends its power). It is also zxcvbn's top score ("very unguessable: strong protection from offline
    /// slow-hash scenario"), the usual yardstick for passphrases, and it is cheap to reach: four random words from a
    /// 7776-word list give about 3.7 × 10^15, and 20 random characters about 10^20 in this estimate. A higher bar
    /// would push custodians to write the passphrase down; a lower one would fall to a few days of rented cores.
    public static let minimumGuesses = 1e10

    /// What the estimator found.
    public struct Estimate: Sendable {
        /// The estimated number of guesses.
        public let guesses: Double
        /// What makes the passphrase guessable, e.g. `a common password with a year appended` (never any of its
        /// characters).
        public let weakness: String

        /// `log10` of ``guesses``.
        public var log10Guesses: Double { log10(max(guesses, 1)) }
    }

    /// Estimates how many guesses `passphrase` takes (see the type's discussion).
    ///
    /// - Parameter passphrase: The passphrase bytes.
    /// - Returns: The estimate, or `nil` if the shipped word lists are missing (a broken installation).
    /// - Complexity: O(n³) in the length; the first 64 bytes are analysed (the rest can only add strength).
    public static func estimate(_ passphrase: SecureBytes) -> Estimate? {
        let lists = PassphraseWordList.shipped
        guard lists.count == 3 else { return nil }
        let strength = PassphraseStrength(passphrase, lists: lists, referenceYear: currentYear())
        return Estimate(guesses: strength.guesses, weakness: describe(strength))
    }

    /// The estimate in bits (`log2` of the guesses), for comparison with entropy figures.
    ///
    /// - Parameter passphrase: The passphrase bytes.
    /// - Returns: `log2(guesses)`, or 0 if the word lists are missing.
    public static func estimatedBits(_ passphrase: SecureBytes) -> Double {
        estimate(passphrase).map { log2(max($0.guesses, 1)) } ?? 0
    }

    /// Refuses a passphrase that is too short or too easy to guess.
    ///
    /// - Parameter passphrase: The passphrase bytes.
    /// - Throws: ``EscrowError/Code/weakPassphrase`` saying what makes it guessable (never the passphrase itself),
    ///   or if the word lists to judge it are missing.
    public static func check(_ passphrase: SecureBytes) throws(EscrowError) {
        guard passphrase.count >= minimumLength else {
            throw EscrowError(
                .weakPassphrase,
                "passphrase is too short (\(passphrase.count) characters, at least \(minimumLength) needed)",
                hint: .overridePassphrasePolicy
            )
        }
        guard let estimate = estimate(passphrase) else {
            throw EscrowError(
                .weakPassphrase,
                "cannot judge the passphrase: escrow's word lists (escrow_Escrow.resources) are missing; reinstall "
                    + "escrow",
                hint: .overridePassphrasePolicy
            )
        }
        guard estimate.guesses >= minimumGuesses else {
            throw EscrowError(
                .weakPassphrase,
                "passphrase is too easy to guess: \(estimate.weakness) (about 10^\(Int(estimate.log10Guesses)) "
                    + "guesses, at least 10^10 needed); use four or more random words instead",
                hint: .overridePassphrasePolicy
            )
        }
    }

    private static func currentYear() -> Int {
        1970 + Int(time(nil) / 31_556_952)
    }

    // MARK: Explaining the estimate

    /// What makes the cover cheap, in words.
    static func describe(_ strength: PassphraseStrength) -> String {
        let cover = strength.cover
        guard !cover.isEmpty else { return "too short" }
        let cores = cover.indices.filter { cover[$0].hasLetters }
        if cores.isEmpty {
            guard let longest = cover.indices.max(by: { cover[$0].length < cover[$1].length }) else { return "" }
            return phrase(
                core: noun(cover[longest].kind),
                cover: cover,
                strength: strength,
                first: longest,
                last: longest
            )
        }
        guard let first = cores.first, let last = cores.last else { return "" }
        let core: String
        if cores.count == 1 {
            core = noun(cover[first].kind)
        } else if cores.allSatisfy({ if case .word = cover[$0].kind { return true } else { return false } }) {
            let names = ["", "one", "two", "three", "four", "five", "six"]
            let number = cores.count < names.count ? names[cores.count] : "several"
            let passwords = cores.allSatisfy {
                if case .word(.passwords, _, _) = cover[$0].kind { return true } else { return false }
            }
            core = passwords ? "\(number) common passwords run together" : "only \(number) common words"
        } else {
            core = "a combination of common words and patterns"
        }
        return phrase(core: core, cover: cover, strength: strength, first: first, last: last)
    }

    /// `core` with what surrounds it: `… with look-alike substitutions and a year appended`.
    private static func phrase(
        core: String,
        cover: [PassphraseStrength.Match],
        strength: PassphraseStrength,
        first: Int,
        last: Int
    ) -> String {
        var parts: [String] = []
        if cover[first...last].contains(where: {
            if case .word(_, substituted: true, _) = $0.kind { return true } else { return false }
        }) {
            parts.append("look-alike substitutions")
        }
        let before = affixes(cover.indices.filter { $0 < first }, strength)
        let after = affixes(cover.indices.filter { $0 > last }, strength)
        if !before.isEmpty { parts.append(before + " in front") }
        if !after.isEmpty { parts.append(after + " appended") }
        return parts.isEmpty ? core : core + " with " + parts.joined(separator: " and ")
    }

    /// `a year and symbols`: the pieces around the core.
    private static func affixes(_ indices: [Int], _ strength: PassphraseStrength) -> String {
        var words: [String] = []
        for index in indices {
            let piece = strength.cover[index]
            let word: String
            switch piece.kind {
            case .year: word = "a year"
            case .date: word = "a date"
            default:
                let classes = strength.classes[index]
                if classes.letters {
                    word = "letters"
                } else if classes.digits && classes.symbols {
                    word = "digits and symbols"
                } else if classes.digits {
                    word = "digits"
                } else {
                    word = piece.length == 1 ? "a symbol" : "symbols"
                }
            }
            if !words.contains(word) { words.append(word) }
        }
        return words.joined(separator: " and ")
    }

    /// The noun phrase for one piece.
    private static func noun(_ kind: PassphraseStrength.Kind) -> String {
        switch kind {
        case .word(let source, _, let reversed):
            let noun: String
            switch source {
            case .passwords: noun = "a common password"
            case .english: noun = "a common word"
            case .names: noun = "a common name"
            }
            return reversed ? noun + " spelled backwards" : noun
        case .keyboard: return "a keyboard pattern"
        case .repeated(let base, let unit):
            if unit == 1 { return "a repeated character" }
            if base.count == 1, case .word = base[0] { return noun(base[0]) + " repeated" }
            return "a repeated pattern"
        case .sequence: return "a sequence like abcd or 1234"
        case .year: return "a year"
        case .date: return "a date"
        case .characters: return "too few random characters"
        }
    }
}
