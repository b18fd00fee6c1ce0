import ArgumentParser
import Escrow
import Shamir
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `escrow shamir split -t K -n N [--format native|vault] [--in FILE] [--out STEM]`
struct ShamirSplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split a secret (raw bytes from stdin or --in) into N shares, any K of which recover it.",
        discussion: """
            Shares are printed one per line, or with --out written as binary share files STEM.1 … STEM.N \
            (native format only). The secret is never taken from the command line. With --out the secret is \
            streamed in chunks, so memory use does not grow with its size.

            Share files are written under temporary names and renamed into place only when all are complete: a \
            share file never appears half-written. By default they are not forced to disk (like cp or gfsplit): \
            after a power loss right after the split, a file may be missing or short (combine then refuses it, \
            naming the file). --sync flushes every file and the directory to stable storage before returning, which \
            costs about the time to write the shares to the disk.
            """
    )

    @Option(
        name: [.customShort("t"), .customLong("threshold")],
        help: "Shares needed to recover the secret (2…255; slip39: 1…16)."
    )
    var threshold: Int?

    @Option(name: [.customShort("n"), .customLong("shares")], help: "Shares to create (K…255; slip39: K…16).")
    var shares: Int?

    @Option(help: "Share encoding: native, vault or slip39.")
    var format: ShareFormat = .native

    @Option(name: .customLong("in"), help: "Read the secret from FILE instead of stdin.")
    var input: String?

    @Option(name: .customLong("out"), help: "Write binary share files STEM.1 … STEM.N instead of lines.")
    var out: String?

    @Flag(help: "With --out: flush the share files and their directory to stable storage (fsync) before exiting.")
    var sync = false

    @OptionGroup(title: "SLIP-39 options")
    var slip39: SLIP39SplitOptions

    func validate() throws {
        if format == .slip39 {
            guard out == nil else { throw ValidationError("--out writes native share files; not with --format slip39") }
            guard !sync else { throw ValidationError("--sync applies to share files (--out), not to --format slip39") }
            _ = try slip39.layout(threshold: threshold, shares: shares)
            return
        }
        guard !slip39.isUsed else {
            throw ValidationError(
                "--group, --group-threshold, --passphrase-file, --iteration-exponent and --[no-]extendable "
                    + "apply only to --format slip39"
            )
        }
        guard let threshold, let shares else { throw ValidationError("give -t K and -n N") }
        guard (2...255).contains(threshold) else {
            throw ValidationError("-t must be between 2 and 255, not \(threshold)")
        }
        guard (threshold...255).contains(shares) else {
            throw ValidationError("-n must be between -t (\(threshold)) and 255, not \(shares)")
        }
        if out != nil && format != .native {
            throw ValidationError("--out writes native share files; it cannot be used with --format \(format.rawValue)")
        }
        if let out, out.isEmpty {
            throw ValidationError("--out needs a file name stem")
        }
        if sync && out == nil {
            throw ValidationError("--sync applies to share files; add --out STEM")
        }
    }

    func run() throws {
        try reportingErrors {
            try Sodium.initialize()
            if let out, format == .native, let threshold, let shares {
                let fd = try input.map { try FileIO.openForReading($0) } ?? 0
                defer { if input != nil { close(fd) } }
                try ShareFiles.split(
                    from: fd,
                    name: input ?? "standard input",
                    threshold: threshold,
                    shareCount: shares,
                    stem: out,
                    sync: sync
                )
                return
            }
            let secret =
                try input.map { try FileIO.readAll(path: $0, limit: FileIO.maximumSecretSize) }
                ?? FileIO.readAll(0, name: "standard input", limit: FileIO.maximumSecretSize)
            guard secret.count > 0 else {
                throw CLIError("the secret is empty: nothing to split (give the bytes on stdin or with --in)")
            }
            guard format != .slip39 else {
                try SLIP39Format.split(secret, threshold: threshold, shares: shares, options: slip39)
                return
            }
            guard let threshold, let shares else { throw ValidationError("give -t K and -n N") }
            switch format {
            case .native:
                try NativeFormat.split(secret, threshold: threshold, shareCount: shares)
            case .vault:
                StandardError.writeLine(ShareFormat.vaultWarning)
                try VaultFormat.split(secret, threshold: threshold, shareCount: shares)
            case .slip39:
                break  // handled above
            }
        }
    }
}
