import ArgumentParser
import Escrow

/// One narrated step of `escrow demo`: what happens and why, optional preparation (files a person would write by
/// hand), then escrow commands run exactly as a user would type them.
struct DemoStep {
    let title: String
    let narration: [String]
    var prepare: ((DemoWorkspace) throws -> Void)?
    let commands: [[String]]

    init(_ title: String, _ narration: [String], prepare: ((DemoWorkspace) throws -> Void)? = nil, commands: [[String]])
    {
        self.title = title
        self.narration = narration
        self.prepare = prepare
        self.commands = commands
    }

    func run(number: Int, of total: Int, in workspace: DemoWorkspace) throws {
        Output.line()
        Output.line("── Step \(number)/\(total): \(title) " + String(repeating: "─", count: max(3, 60 - title.count)))
        for line in narration { Output.line("   " + line) }
        try prepare?(workspace)
        for arguments in commands {
            Output.line()
            Output.line("$ escrow " + arguments.map { quoted(workspace.display($0)) }.joined(separator: " "))
            flushStandardOutput()
            do {
                var command = try EscrowCommand.parseAsRoot(arguments)
                try command.run()
            } catch {
                flushStandardOutput()
                throw CLIError("the demo stopped at step \(number) (\(title)): \(error)")
            }
            flushStandardOutput()
        }
    }

    private func quoted(_ argument: String) -> String {
        argument.contains(where: { $0 == " " || $0 == "\"" }) ? "\"\(argument)\"" : argument
    }
}
