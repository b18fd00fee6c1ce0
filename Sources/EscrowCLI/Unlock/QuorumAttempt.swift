import Escrow

/// Runs the part of a quorum command that a refusal can end (`unlock open`, `approve`, `execute`, and the steps of
/// `unlock ceremony` that stand for them) and records a refusal or a wrong passphrase in this user's
/// ``AttemptJournal``, to be published with the member's next signed event. Failures that are not refusals (I/O, no terminal, an unreadable identity file) are not attempts.
enum QuorumAttempt {
    /// Runs `body`, recording a refusal.
    ///
    /// - Parameters:
    ///   - command: The command (one of ``AttemptRecord/commands``).
    ///   - request: The request concerned.
    ///   - context: The open store.
    ///   - identity: The identity options (the identity file names the member; no passphrase is asked here).
    ///   - body: The command's work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, unchanged.
    static func recording<Result>(
        _ command: String,
        request: EventID,
        context: StoreContext,
        identity: IdentityOptions,
        _ body: () throws -> Result
    ) throws -> Result {
        do {
            return try body()
        } catch {
            if outcome(of: error) != nil, let file = try? identity.readFile() {
                record(error, command: command, request: request, context: context, author: file)
            }
            throw error
        }
    }

    /// Runs `body`, recording a refusal as an attempt of the member whose identity file `author` is (already read:
    /// `unlock ceremony` acts for several custodians in turn, each step recorded as the command it stands for).
    ///
    /// - Parameters:
    ///   - command: The command (one of ``AttemptRecord/commands``).
    ///   - request: The request concerned, or `nil` before one exists (an open refused in the room).
    ///   - context: The open store.
    ///   - author: The identity file of the member acting.
    ///   - body: The step's work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, unchanged.
    static func recording<Result>(
        _ command: String,
        request: EventID?,
        context: StoreContext,
        author: IdentityFile,
        _ body: () throws -> Result
    ) throws -> Result {
        do {
            return try body()
        } catch {
            record(error, command: command, request: request, context: context, author: author)
            throw error
        }
    }

    /// Records `error` in the journal of `author` if it ends an attempt (``outcome(of:)``).
    private static func record(
        _ error: any Error,
        command: String,
        request: EventID?,
        context: StoreContext,
        author: IdentityFile
    ) {
        guard let outcome = outcome(of: error) else { return }
        let record = AttemptRecord(
            time: EscrowClock.system.now,
            command: command,
            request: request?.bytes,
            outcome: outcome,
            detail: detail(of: error)
        )
        AttemptJournal.record(
            record,
            author: author.publicIdentity.signingKey,
            store: context.ledger.state.storeID,
            stateDirectory: context.stateDirectory
        )
    }

    /// Whether `error` ends an attempt, and how.
    static func outcome(of error: any Error) -> AttemptOutcome? {
        switch error {
        case let error as EscrowError:
            if error.code == .wrongPassphrase { return .wrongPassphrase }
            let refusals: [EscrowError.Code] = [
                .notAuthorized, .quorumNotMet, .expired, .alreadyUsed, .badShare, .conflict, .tampered, .notFound,
            ]
            return refusals.contains(error.code) ? .refused : nil
        case let error as CLIError:
            return error.status == .refused || error.status == .notReady ? .refused : nil
        default:
            return nil
        }
    }

    /// The refusal's line as public text: hidden characters replaced, at most
    /// ``AttemptRecord/maximumDetailLength`` characters.
    static func detail(of error: any Error) -> String {
        let message: String
        switch error {
        case let error as EscrowError: message = error.cliMessage
        case let error as CLIError: message = error.message
        default: message = "\(error)"
        }
        let text = NameRules.withoutHiddenCharacters(message, limit: AttemptRecord.maximumDetailLength)
        return text.isEmpty ? "refused" : text
    }
}
