import ArgumentParser
import Escrow
import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `escrow bundle open BUNDLE --identity CUSTOMER.id [--show-seed] [--json]`: the customer checks and opens a
/// release bundle with its own identity and prints the released credentials.
struct BundleOpenCommand: EscrowRunnable {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Check and open a release bundle with the customer's identity; print the released credentials.",
        discussion: """
            Every event in the bundle is checked (id, signature, store), the request must be a release to your key, \
            and every rebuilt key must match its depositor's signed commitment before anything is decrypted. No \
            store is needed.
            """
    )

    @OptionGroup var identity: IdentityOptions

    @Argument(help: "The bundle file from 'escrow unlock execute ID --bundle FILE'.")
    var bundle: String

    @Flag(name: .customLong("show-seed"), help: "Also print TOTP seeds (base32), not only the current codes.")
    var showSeed = false

    @Flag(help: "Print the credentials as JSON.")
    var json = false

    /// Reads and decodes the bundle, then asks the customer's passphrase, opens and prints it.
    func execute() throws {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(bundle, limit: 64 << 20)
        } catch {
            throw CLIError("cannot read the bundle \(bundle): \(error)")
        }
        let decoded = try CustomerBundle.decode(bytes, source: bundle)
        _ = try identity.readFile()
        let customer = try identity.unlock()
        let opened = try decoded.open(with: customer)
        let printer = EntryPrinter(
            fd: STDOUT_FILENO,
            name: "standard output",
            showSeed: showSeed,
            now: EscrowClock.system.now.secondsSinceEpoch
        )
        if json {
            try printer.json(
                opened,
                members: [
                    "vault": .string(decoded.vault.name), "request": .string(Hex.encode(decoded.request.bytes)),
                    "metadata": .object(decoded.metadata.mapValues(JSONValue.string)),
                ]
            )
            return
        }
        Console.note("Released from vault '\(decoded.vault.name)' (\(VaultReport.metadataText(decoded.metadata))):")
        try printer.text(opened)
    }
}
