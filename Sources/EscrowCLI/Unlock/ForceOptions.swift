import ArgumentParser

/// `--force --force-reason TEXT`: unlock a closed vault anyway; the reason goes into the request and the audit log.
struct ForceOptions: ParsableArguments {
    @Flag(help: "Unlock a closed vault anyway (needs --force-reason; audited as forced).")
    var force = false

    @Option(name: .customLong("force-reason"), help: "Why the closed vault must be unlocked.")
    var forceReason: String?

    /// The force reason, or `nil` when not forcing.
    func reason() throws -> String? {
        if force {
            guard let forceReason else {
                throw CLIError("--force needs --force-reason TEXT: why the closed vault must be unlocked")
            }
            return forceReason
        }
        guard forceReason == nil else { throw CLIError("--force-reason goes with --force") }
        return nil
    }
}
