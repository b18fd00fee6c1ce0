import Escrow

/// `--ttl 24h`: a request's lifetime as a number and a unit (`s`, `m`, `h`, `d`).
enum TimeToLive {
    static func seconds(_ text: String) throws -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last, let multiplier = units[unit], let number = Int64(text.dropLast()), number > 0,
            number <= 10_000_000
        else {
            throw CLIError("--ttl '\(NameRules.printable(text))' must be a number and a unit, e.g. 30m, 24h or 7d")
        }
        let seconds = number * multiplier
        guard (60...604_800).contains(seconds) else {
            throw CLIError("--ttl '\(NameRules.printable(text))' is outside 1m...7d")
        }
        return seconds
    }
}
