import ArgumentParser
import Shamir
import Sodium

/// `escrow shamir combine [--format native|vault] [--in FILE] [--hex] [FILE...]`
struct ShamirCombineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "combine",
        abstract: "Recover a secret from shares (one per line on stdin or --in, or binary share files).",
        discussion: """
            Blank lines are ignored. Native shares are checked (split, checksum, duplicates, threshold) before \
            anything is combined; vault shares cannot be checked; SLIP-39 mnemonics (any order, groups mixed) are \
            checked word by word and as a set, then by their digests. The secret goes to stdout as raw bytes, or as \
            lowercase hex with --hex.

            Share files are read twice: first every given file is checked completely (header, split, checksum of \
            the whole file), and only then is the secret combined and streamed to stdout, so a damaged file \
            produces an error and no output, whatever its size.
            """
    )

    @Option(help: "Share encoding: native, vault or slip39.")
    var format: ShareFormat = .native

    @Option(name: .customLong("in"), help: "Read the share lines from FILE instead of stdin.")
    var input: String?

    @Flag(help: "Print the secret as lowercase hex and a newline.")
    var hex = false

    @Argument(help: "Binary share files written by 'split --out' (instead of lines).")
    var files: [String] = []

    @OptionGroup(title: "SLIP-39 options")
    var slip39: SLIP39CombineOptions

    func validate() throws {
        if format != .slip39 && slip39.passphraseFile != nil {
            throw ValidationError("--passphrase-file applies only to --format slip39")
        }
        if !files.isEmpty && input != nil {
            throw ValidationError("give either share files or --in, not both")
        }
        if !files.isEmpty && format != .native {
            throw ValidationError("share files are native; they cannot be read with --format \(format.rawValue)")
        }
    }

    func run() throws {
        try reportingErrors {
            try Sodium.initialize()
            if !files.isEmpty {
                try ShareFiles.combine(files, hex: hex)
                return
            }
            let text =
                try input.map { try FileIO.readAll(path: $0, limit: FileIO.maximumShareText) }
                ?? FileIO.readAll(0, name: "standard input", limit: FileIO.maximumShareText)
            let secret: SecretBuffer
            switch format {
            case .native:
                secret = try NativeFormat.combine(text)
            case .vault:
                StandardError.writeLine(ShareFormat.vaultWarning)
                secret = try VaultFormat.combine(text)
            case .slip39:
                secret = try SLIP39Format.combine(text, options: slip39)
            }
            try secret.withBytes { try SecretOutput.write($0, hex: hex, to: 1, name: "standard output") }
        }
    }
}
