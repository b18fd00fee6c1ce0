import ArgumentParser

/// `escrow bundle …`: what a customer does with a release bundle.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Open a release bundle (for the customer).",
        subcommands: [BundleOpenCommand.self]
    )
}
