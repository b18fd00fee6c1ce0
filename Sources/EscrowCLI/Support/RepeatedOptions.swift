import ArgumentParser
import Escrow

/// Refuses a single-value option given more than once (`--identity a.id --identity b.id`): argument-parser keeps
/// the last value without a word, so a pasted or forgotten option would silently decide which identity, store,
/// passphrase file or entry kind a command uses.
///
/// One check covers every option of every command, with nothing to list by hand: the names that occur more than once
/// in the raw arguments are looked up in argument-parser's own description of the command (`_dumpHelp()`, the JSON
/// behind `--experimental-dump-help`: each argument's kind, names and whether it repeats). Options declared as arrays
/// (`--metadata`, `--identity` of the ceremony, …) repeat by design and pass; flags are left alone.
enum RepeatedOptions {
    /// A refusal: the message and the command whose usage to show.
    struct Refusal {
        let message: String
        let command: ParsableCommand.Type
        let path: [String]
    }

    /// The first single-value option given more than once, if any.
    ///
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - root: The root command.
    /// - Returns: The refusal, or `nil` when every single-value option is given at most once.
    static func firstRepeated(in arguments: [String], root: ParsableCommand.Type) -> Refusal? {
        let counts = optionCounts(arguments)
        // Fast path: nothing spelled twice, nothing to look up.
        guard counts.values.contains(where: { $0 > 1 }) else { return nil }
        let (command, path) = resolve(arguments, root: root)
        for option in singleValueOptions(of: command) {
            let total = option.spellings.reduce(0) { $0 + (counts[$1] ?? 0) }
            guard total > 1, let shown = option.spellings.first else { continue }
            let times = total == 2 ? "twice" : "\(total) times"
            return Refusal(message: "\(shown) is given \(times): give it once", command: command, path: path)
        }
        return nil
    }

    /// Prints the refusal the way argument-parser prints usage errors and exits with status 64.
    static func exit(_ refusal: Refusal, root: ParsableCommand.Type) -> Never {
        let usage = root.usageString(for: refusal.command)
        let name = refusal.path.joined(separator: " ")
        Console.note("Error: \(refusal.message)")
        Console.note("Usage: \(usage)")
        Console.note("  See '\(name) --help' for more information.")
        root.exit(withError: ExitCode.validationFailure)
    }

    /// How often each option spelling (`--identity`, `-t`) occurs before a `--` terminator; `--name=value` counts as
    /// `--name`, and each letter of a short-option group counts.
    static func optionCounts(_ arguments: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for argument in arguments {
            if argument == "--" { break }
            if argument.hasPrefix("--"), argument.count > 2 {
                let name = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
                counts[String(name), default: 0] += 1
            } else if argument.hasPrefix("-"), argument.count > 1, !argument.contains("="),
                argument.dropFirst().allSatisfy(\.isLetter)
            {
                for letter in argument.dropFirst() { counts["-\(letter)", default: 0] += 1 }
                if argument.count > 2 { counts[argument, default: 0] += 1 }  // a long name with a single dash
            }
        }
        return counts
    }

    /// The command the arguments select: subcommand names are followed from the root while they match, then the
    /// default subcommand, as argument-parser does.
    private static func resolve(_ arguments: [String], root: ParsableCommand.Type) -> (ParsableCommand.Type, [String]) {
        var command = root
        var path = [root.configuration.commandName ?? root._commandName]
        var remaining = arguments[...]
        while true {
            let configuration = command.configuration
            if let next = remaining.first,
                let sub = configuration.subcommands.first(where: {
                    $0._commandName == next || $0.configuration.aliases.contains(next)
                })
            {
                command = sub
                path.append(sub._commandName)
                remaining = remaining.dropFirst()
            } else if let fallback = configuration.defaultSubcommand {
                command = fallback
                path.append(fallback._commandName)
            } else {
                return (command, path)
            }
        }
    }

    /// One single-value option: every spelling of its names (`--identity`, `-i`).
    struct Option {
        let spellings: [String]
    }

    /// The single-value options of `command`, from argument-parser's description of it.
    static func singleValueOptions(of command: ParsableCommand.Type) -> [Option] {
        guard let description = try? JSONParser.parse(Array(command._dumpHelp().utf8), source: "argument parser"),
            case .array(let arguments)? = description["command"]?["arguments"]
        else { return [] }
        return arguments.compactMap { argument -> Option? in
            guard argument["kind"]?.stringValue == "option", argument["isRepeating"] != .bool(true),
                case .array(let names)? = argument["names"]
            else { return nil }
            let spellings = names.compactMap { name -> String? in
                guard let text = name["name"]?.stringValue else { return nil }
                return name["kind"]?.stringValue == "long" ? "--" + text : "-" + text
            }
            return spellings.isEmpty ? nil : Option(spellings: spellings)
        }
    }
}
