import ArgumentParser
import Escrow
import Platform
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--identity FILE [--passphrase-file F]`: the acting custodian's identity (the path may also come from
/// `$ESCROW_IDENTITY`: it is not a secret). The passphrase comes from the first line of the file, or from a no-echo
/// prompt on the terminal; never from the command line or the environment.
struct IdentityOptions: ParsableArguments {
    static let environmentVariable = "ESCROW_IDENTITY"

    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp(
            "Your identity file from 'escrow custodian new' (default: $ESCROW_IDENTITY).",
            valueName: "file"
        )
    )
    var identityOption: String?

    /// The identity file's path: `--identity`, else `$ESCROW_IDENTITY`.
    func identityPath() throws -> String {
        if let identityOption, !identityOption.isEmpty { return identityOption }
        if let path = StoreLocation.processEnvironment[Self.environmentVariable], !path.isEmpty { return path }
        throw CLIError("no identity given: pass --identity FILE or set \(Self.environmentVariable)")
    }

    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "Read the identity passphrase from the first line of this file instead of the terminal.",
            valueName: "file"
        )
    )
    var passphraseFile: String?

    var passphraseSource: PassphraseSource { passphraseFile.map(PassphraseSource.file) ?? .terminal }

    /// Reads and checks the identity file (public part only; no passphrase needed). A file its group or others
    /// may read is refused (as ssh refuses such a private key).
    func readFile() throws -> IdentityFile {
        let path = try identityPath()
        try PrivateFile.requirePrivateIdentity(path)
        return try IdentityFile.decode(try FileSystem.read(path, limit: 1 << 16), source: path)
    }

    /// Opens the identity with its passphrase.
    ///
    /// - Parameter allowingTestProfile: Whether a file sealed with the test profile may be opened even outside the
    ///   demo and tests (only `custodian passwd`, to re-seal it with a real profile).
    /// - Returns: The opened identity.
    /// - Throws: A ``CLIError`` or an `EscrowError` (no identity given, unreadable file, wrong passphrase, a
    ///   test-profile file where it is not allowed).
    func unlock(allowingTestProfile: Bool = false) throws -> CustodianIdentity {
        let file = try readFile()
        let identity = file.publicIdentity
        let passphrase = try passphraseSource.read(
            prompt: "Passphrase for \(identity.name) (\(identity.fingerprint)): "
        )
        return try file.unseal(passphrase: passphrase, allowTestProfile: allowingTestProfile || TestProfile.isAllowed)
    }
}

/// The hidden `--kdf` option: Argon2id cost of a new identity file. `moderate` by default; `interactive` and
/// `sensitive` on request. The test profile `minimal` is not offered: it parses only where ``TestProfile`` allows it
/// (inside `escrow demo`, and in tests).
extension KeyDerivationProfile: ExpressibleByArgument {
    /// Parses a profile name; `minimal` only where the test profile is allowed.
    public init?(argument: String) {
        guard let profile = Self(rawValue: argument), profile != .minimal || TestProfile.isAllowed else { return nil }
        self = profile
    }

    /// The names offered in help and completions (never the test profile).
    public static var allValueStrings: [String] { allCases.filter { $0 != .minimal }.map(\.rawValue) }
}

/// Where this process may use the test Argon2id profile (``KeyDerivationProfile/minimal``): creating identities
/// with it and opening identity files sealed with it. Real use never may: such a file protects its passphrase almost
/// not at all.
///
/// Two places allow it: `escrow demo`, which runs its commands in this process on throw-away identities, and test
/// runs, which set `ESCROW_ALLOW_TEST_PROFILE=1` in the environment of the binary they start (the CLI tests and the
/// benchmark scripts: each command would otherwise spend a second and 256 MiB on Argon2id). The variable is not a
/// secret and is documented nowhere a custodian reads.
enum TestProfile {
    /// The environment variable test runs set.
    static let environmentVariable = "ESCROW_ALLOW_TEST_PROFILE"

    // Safety: written once, before any command runs (the demo's start, on the main thread); read afterwards.
    nonisolated(unsafe) private static var allowedInProcess = false

    /// Whether the test profile may be used now.
    static var isAllowed: Bool {
        allowedInProcess || getenv(environmentVariable).map { String(cString: $0) } == "1"
    }

    /// Allows the test profile for the rest of this process (`escrow demo` only).
    static func allowForDemo() { allowedInProcess = true }
}
