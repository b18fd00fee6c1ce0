import ArgumentParser
import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `escrow demo`: a narrated walk-through in a temporary workspace that is removed afterwards.
struct DemoCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through escrow in a temporary workspace: a team, a git-shared store, vaults, a scoped unlock, "
            + "a release, a custodian leaving.",
        discussion: """
            Everything happens in a fresh temporary directory that is deleted at the end: custodians with generated \
            passphrases (and deliberately cheap Argon2 settings, for speed), a store shared through a local git \
            remote by two clones, a 3-of-5 vault for an AWS root account with its custody ceremony, deposits by an \
            automation identity, a quorum unlock of one credential only, a release the executor cannot read, a \
            custodian leaving (every vault re-split at once, without any key being rebuilt), and an audit \
            verification. Each step prints the command it runs, then that command's output.
            """
    )

    func execute() throws {
        // The demo must leave nothing behind: hold Ctrl-C and friends until the workspace is gone, and survive a
        // closed pipe (`escrow demo | head`) so clean-up still runs.
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&blocked, number) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        let previousPipeHandler = signal(SIGPIPE, SIG_IGN)
        defer {
            signal(SIGPIPE, previousPipeHandler)
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        // Throw-away identities: the demo may seal them with the test profile (nothing else may).
        TestProfile.allowForDemo()
        let workspace = try DemoWorkspace()
        defer { workspace.remove() }
        let steps = DemoScript.steps
        Console.line("escrow demo: a walk-through in a temporary directory (shown as $DEMO below).")
        Console.line("Nothing here touches your own store or settings; everything is deleted at the end.")
        for (index, step) in steps.enumerated() {
            try step.run(number: index + 1, of: steps.count, in: workspace)
        }
        workspace.remove()
        Console.line()
        Console.line("Done: the temporary stores, remote, identities and passphrase files were deleted.")
        Console.line("Next: 'escrow custodian new NAME --identity ~/.escrow/NAME.id' creates your real identity.")
    }
}
