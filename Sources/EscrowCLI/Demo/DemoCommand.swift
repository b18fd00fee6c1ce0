import ArgumentParser
import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `escrow demo`: a narrated walk-through in a temporary store that is removed afterwards.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Walk through escrow in a temporary store: custodians, a 3-of-5 vault, deposits, a quorum unlock, the audit log.",
        discussion: """
            Everything happens in a fresh temporary directory that is deleted at the end: five custodians with \
            generated passphrases (and deliberately cheap Argon2 settings, for speed), a vault for an AWS root \
            account, a generated root password and a TOTP seed, a quorum unlock (request, three approvals, status, \
            open), and an audit verification. Each step prints the command it runs, then that command's output.
            """
    )

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            // The demo must leave nothing behind: hold Ctrl-C and friends until the workspace is gone (the whole
            // demo takes about a second), and survive a closed pipe (`escrow demo | head`) so clean-up still runs.
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
            let steps = DemoScript.steps(in: workspace)
            Output.line("escrow demo: a walk-through in a temporary directory (shown as $DEMO below).")
            Output.line("Nothing here touches your own store; everything is deleted at the end.")
            for (index, step) in steps.enumerated() {
                try step.run(number: index + 1, of: steps.count, in: workspace)
            }
            workspace.remove()
            Output.line()
            Output.line("Done: the temporary store, identities and passphrase files were deleted.")
            Output.line("Next: 'escrow custodian new NAME --identity you.id' creates your real identity.")
        }
    }
}
