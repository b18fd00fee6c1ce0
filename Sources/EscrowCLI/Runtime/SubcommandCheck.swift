import ArgumentParser
import Escrow

/// Names an unknown subcommand of a command group before argument-parser parses (which would report only
/// "unexpected argument"): `escrow unlock aprove` → `unknown subcommand 'aprove' of 'escrow unlock' (did you mean
/// 'approve'?)`. Groups with a default subcommand, and anything after the first option, are left to argument-parser.
enum SubcommandCheck {
    /// The error line for an unknown subcommand in `arguments`, if there is one.
    ///
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - root: The root command.
    /// - Returns: The message, or `nil` when every subcommand named exists.
    static func problem(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root._commandName]
        for token in arguments {
            let configuration = command.configuration
            let subcommands = configuration.subcommands
            guard !token.hasPrefix("-"), !subcommands.isEmpty, configuration.defaultSubcommand == nil, token != "help"
            else { return nil }
            guard let next = subcommands.first(where: { $0._commandName == token }) else {
                let suggestion = NameSuggestion.closest(to: token, among: subcommands.map { $0._commandName })
                let group = path.joined(separator: " ")
                return "unknown subcommand '\(NameRules.printable(token))' of '\(group)'"
                    + (suggestion.map { " (did you mean '\($0)'?)" } ?? "") + "; '\(group) --help' lists them"
            }
            command = next
            path.append(token)
        }
        return nil
    }
}
