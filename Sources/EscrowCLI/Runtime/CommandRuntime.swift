import Escrow
import Sodium

/// What every escrow command does first: libsodium ready (and recent enough).
enum CommandRuntime {
    static func start() throws {
        try Sodium.initialize()
    }
}
