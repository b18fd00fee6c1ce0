/// A refusal decided by the CLI itself (an option combination, a confirmation not given), with its exit status.
struct CLIError: Error, CustomStringConvertible {
    /// One line naming the culprit and the next step.
    let message: String
    /// The exit status.
    let status: ExitStatus

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - message: The line.
    ///   - status: The exit status (refused by default).
    init(_ message: String, status: ExitStatus = .refused) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}
