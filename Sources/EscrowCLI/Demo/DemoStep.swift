import ArgumentParser
import Escrow

/// One narrated step of `escrow demo`: what happens and why, optional preparation (what a person does by hand:
/// write a file, run git), then escrow commands run exactly as a user would type them.
struct DemoStep {
    /// A command of the step: escrow's own, or a shell command the demo runs for the user (git).
    enum Command {
        /// `escrow ARGS`.
        case escrow([String])
        /// `git ARGS`.
        case git([String])
        /// `escrow ARGS`, which must be refused (the demo shows the refusal and goes on).
        case refused([String])
    }

    let title: String
    let narration: [String]
    var prepare: ((DemoWorkspace) throws -> Void)?
    let commands: (DemoWorkspace) throws -> [Command]

    init(
        _ title: String,
        _ narration: [String],
        prepare: ((DemoWorkspace) throws -> Void)? = nil,
        commands: @escaping (DemoWorkspace) throws -> [Command]
    ) {
        self.title = title
        self.narration = narration
        self.prepare = prepare
        self.commands = commands
    }

    func run(number: Int, of total: Int, in workspace: DemoWorkspace) throws {
        Console.line()
        Console.line("── Step \(number)/\(total): \(title) " + String(repeating: "─", count: max(3, 60 - title.count)))
        for line in narration { Console.line("   " + line) }
        try prepare?(workspace)
        for command in try commands(workspace) {
            Console.line()
            switch command {
            case .git(let arguments):
                Console.line("$ git " + arguments.map { quoted(workspace.display($0)) }.joined(separator: " "))
                try workspace.git(arguments)
            case .escrow(let arguments):
                guard try runEscrow(arguments, in: workspace, step: number) == 0 else {
                    throw CLIError("the demo stopped at step \(number) (\(title))")
                }
            case .refused(let arguments):
                let status = try runEscrow(arguments, in: workspace, step: number)
                guard status != 0 else {
                    throw CLIError("the demo stopped at step \(number) (\(title)): the command was not refused")
                }
                Console.line("(refused with exit status \(status), as it should be)")
            }
        }
    }

    /// Prints and runs `escrow arguments` in this process; returns its exit status (its error line is already
    /// printed). Anything but an exit status stops the demo.
    private func runEscrow(_ arguments: [String], in workspace: DemoWorkspace, step number: Int) throws -> Int32 {
        Console.line("$ escrow " + arguments.map { quoted(workspace.display($0)) }.joined(separator: " "))
        workspace.useMachine(of: arguments)
        do {
            var parsed = try EscrowCommand.parseAsRoot(arguments)
            try parsed.run()
            return 0
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            throw CLIError("the demo stopped at step \(number) (\(title)): \(error)")
        }
    }

    private func quoted(_ argument: String) -> String {
        argument.contains(where: { $0 == " " || $0 == "\"" }) ? "\"\(argument)\"" : argument
    }
}
