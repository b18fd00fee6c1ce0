import ArgumentParser
import SLIP39

/// One `--group K/N` value: a group of N member shares of which K recover the group share.
struct SLIP39GroupArgument: ExpressibleByArgument {
    let group: SLIP39.Group

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let threshold = Int(parts[0]), let count = Int(parts[1]) else {
            return nil
        }
        group = SLIP39.Group(memberThreshold: threshold, memberCount: count)
    }
}

/// The options `escrow shamir split --format slip39` adds (spellings fixed in DESIGN.md).
struct SLIP39SplitOptions: ParsableArguments {
    @Option(
        name: .customLong("group-threshold"),
        help: ArgumentHelp(
            "slip39: groups needed to recover the secret (required with several --group).",
            valueName: "G"
        )
    )
    var groupThreshold: Int?

    @Option(
        name: .customLong("group"),
        help: ArgumentHelp(
            "slip39: a group of N member shares, any K of which recover it; repeat for each group, in order.",
            valueName: "K/N"
        )
    )
    var groups: [SLIP39GroupArgument] = []

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "slip39: the passphrase is the first line of FILE. Without it a terminal is "
                + "asked, without echo; with no terminal the passphrase is empty.",
            valueName: "FILE"
        )
    )
    var passphraseFile: String?

    @Option(
        name: .customLong("iteration-exponent"),
        help: ArgumentHelp(
            "slip39: PBKDF2 runs 10000 × 2^E iterations (0…15, default 1).",
            valueName: "E"
        )
    )
    var iterationExponent: Int?

    @Flag(inversion: .prefixedNo, help: "slip39: set the extendable-backup flag (default: set).")
    var extendable: Bool?

    /// Whether any slip39-only option was given (refused with other formats).
    var isUsed: Bool {
        groupThreshold != nil || !groups.isEmpty || passphraseFile != nil || iterationExponent != nil
            || extendable != nil
    }

    /// The group threshold and groups, from `--group` or else from `-t/-n` (one group).
    ///
    /// - Throws: `ValidationError` for a missing or contradictory layout. The SLIP-0039 range rules themselves
    ///   are checked by the library, whose messages name the group.
    func layout(threshold: Int?, shares: Int?) throws -> (groupThreshold: Int, groups: [SLIP39.Group]) {
        if groups.isEmpty {
            guard groupThreshold == nil else {
                throw ValidationError("--group-threshold needs the groups: give one --group K/N per group")
            }
            guard let threshold, let shares else {
                throw ValidationError(
                    "give -t K -n N for one group, or --group K/N (repeatable) for several"
                )
            }
            return (1, [SLIP39.Group(memberThreshold: threshold, memberCount: shares)])
        }
        guard threshold == nil, shares == nil else {
            throw ValidationError("give either -t/-n (one group) or --group K/N, not both")
        }
        guard let groupThreshold = groupThreshold ?? (groups.count == 1 ? 1 : nil) else {
            throw ValidationError(
                "with \(groups.count) groups, say how many are needed with --group-threshold G"
            )
        }
        return (groupThreshold, groups.map(\.group))
    }
}

/// The options `escrow shamir combine --format slip39` adds.
struct SLIP39CombineOptions: ParsableArguments {
    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "slip39: the passphrase is the first line of FILE. Without it a terminal is "
                + "asked, without echo; with no terminal the passphrase is empty.",
            valueName: "FILE"
        )
    )
    var passphraseFile: String?
}
