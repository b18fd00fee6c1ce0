import Escrow

/// Runs the part of a quorum command that a refusal can end (`unlock open`, `approve`, `execute`) and records a
/// refusal or a wrong passphrase in this user's ``AttemptJournal``, to be published with the member's next signed
/// event. Failures that are not refusals (I/O, no terminal, an unreadable identity file) are not attempts.
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
            if let outcome = outcome(of: error), let file = try? identity.readFile() {
                let record = AttemptRecord(
                    time: EscrowClock.system.now,
                    command: command,
                    request: request.bytes,
                    outcome: outcome,
                    detail: detail(of: error)
                )
                AttemptJournal.record(
                    record,
                    author: file.publicIdentity.signingKey,
                    store: context.ledger.state.storeID,
                    stateDirectory: context.stateDirectory
                )
            }
            throw error
        }
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
