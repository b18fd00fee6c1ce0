import ArgumentParser
import Escrow

/// A failure the CLI reports as one line on stderr (`error: <message>`) with exit status 1.
///
/// Messages name the culprit (a line, a file) and never contain secret bytes.
struct CLIError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}

/// Runs a command body and turns every domain error into the house format: `error: <message>` on stderr,
/// exit status 1, nothing on stdout. Usage errors (`ValidationError`) and `ExitCode` pass through unchanged,
/// so argument-parser reports them (exit 64 for usage).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch let error as EscrowError {
        StandardError.writeLine("error: \(error.cliMessage)")
        throw ExitCode.failure
    } catch {
        StandardError.writeLine("error: \(error)")
        throw ExitCode.failure
    }
}
