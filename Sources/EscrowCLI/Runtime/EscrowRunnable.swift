import ArgumentParser
import Escrow
import Platform
import SLIP39
import Shamir
import Sodium

/// The one entry point of every escrow command: start libsodium, run the command's `execute()` (then write the fold
/// snapshots it made due), and turn any error into one `error: …` line on standard error (terminal-safe) and the
/// documented exit status (``ExitStatus``).
protocol EscrowRunnable: ParsableCommand {
    /// The command's work.
    func execute() throws
}

extension EscrowRunnable {
    func run() throws {
        do {
            try Sodium.initialize()
            try execute()
            StoreContext.saveDueSnapshots()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch let error as EscrowError {
            Console.error(error.cliMessage)
            throw ExitStatus.of(error).exitCode
        } catch let error as CLIError {
            Console.error(error.message)
            throw error.status.exitCode
        } catch let error as ShamirError {
            Console.error(error.message)
            throw ExitStatus.refused.exitCode
        } catch let error as SLIP39Error {
            Console.error(error.description)
            throw ExitStatus.refused.exitCode
        } catch let error as PlatformError {
            Console.error(error.description)
            throw ExitStatus.refused.exitCode
        } catch let error as SodiumError {
            Console.error(error.message)
            throw ExitStatus.refused.exitCode
        } catch {
            Console.error("\(error)")
            throw ExitStatus.internalFailure.exitCode
        }
    }
}
