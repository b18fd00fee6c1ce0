import Escrow

/// The approver's explicit yes. `--yes` answers for scripts; otherwise standard input must be a terminal (checked
/// before anything is shown, so a script without `--yes` fails cleanly) and the question is asked on it; anything
/// but `yes` declines.
enum Confirmation {
    /// Refuses at once when the question could not be asked.
    static func requirePossible(assumeYes: Bool) throws {
        guard assumeYes || Terminal.isTerminal(0) else {
            throw CLIError("not a terminal: pass --yes to approve without the question (nothing was written)")
        }
    }

    /// Asks, unless `--yes` answered already.
    static func require(_ question: String, assumeYes: Bool) throws {
        if assumeYes { return }
        try requirePossible(assumeYes: assumeYes)
        let answer = try Terminal.ask("\(question) Type yes to approve: ")
        guard answer.lowercased() == "yes" else { throw CLIError("not approved: nothing was written") }
    }
}
