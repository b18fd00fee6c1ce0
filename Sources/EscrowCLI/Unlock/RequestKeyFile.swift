import Escrow
import Platform
import Sodium

/// The secret half of an `open` request's key pair, kept in this user's state directory
/// (`requests/<request event id>.key`, mode 0600 in a 0700 directory) and sealed (`SealedBox`) to the requester's own
/// identity key, so a copy of the state directory alone opens nothing.
enum RequestKeyFile {
    /// The directory of request keys.
    ///
    /// - Parameter stateDirectory: This user's state directory.
    /// - Returns: Its `requests` directory.
    static func directory(stateDirectory: String) -> String { stateDirectory + "/requests" }

    /// The key file of a request.
    ///
    /// - Parameters:
    ///   - request: The request event.
    ///   - stateDirectory: This user's state directory.
    /// - Returns: The path.
    static func path(request: EventID, stateDirectory: String) -> String {
        directory(stateDirectory: stateDirectory) + "/\(request).key"
    }

    /// Seals and writes a request's secret key.
    ///
    /// - Parameters:
    ///   - keys: The request's key pair.
    ///   - request: The request event.
    ///   - owner: The requester (the key is sealed to its X25519 key).
    ///   - stateDirectory: This user's state directory.
    /// - Throws: An I/O or crypto error.
    static func save(_ keys: BoxKeyPair, request: EventID, owner: PublicIdentity, stateDirectory: String) throws {
        var created: [String] = []
        let directory = directory(stateDirectory: stateDirectory)
        for path in [stateDirectory, directory] where !FileSystem.exists(path) {
            try FileSystem.makeDirectory(path, mode: 0o700)
            created.append(path)
        }
        do {
            let sealed = try SealedBox.seal(keys.secretKey, to: try owner.boxPublicKey())
            try AtomicFile.write(sealed, to: path(request: request, stateDirectory: stateDirectory), mode: 0o600)
        } catch {
            // Leave the state directory as it was (a full disk): remove what was made for this key.
            for path in created.reversed() { try? FileSystem.removeTree(path) }
            throw error
        }
    }

    /// Whether the key file of a request exists.
    ///
    /// - Parameters:
    ///   - request: The request event.
    ///   - stateDirectory: This user's state directory.
    /// - Returns: `true` if it exists.
    static func exists(request: EventID, stateDirectory: String) -> Bool {
        FileSystem.exists(path(request: request, stateDirectory: stateDirectory))
    }

    /// The refusal when the key file is not on this machine.
    ///
    /// - Parameters:
    ///   - request: The request event.
    ///   - stateDirectory: This user's state directory.
    /// - Returns: The error.
    static func missing(request: EventID, stateDirectory: String) -> CLIError {
        CLIError(
            "no key for request \(request.short) in \(directory(stateDirectory: stateDirectory)): only the "
                + "requester's machine (the one that made the request) can open it"
        )
    }

    /// Reads and unseals a request's key pair.
    ///
    /// - Parameters:
    ///   - request: The request event.
    ///   - identity: The requester's unlocked identity.
    ///   - stateDirectory: This user's state directory.
    /// - Returns: The key pair.
    /// - Throws: ``CLIError`` if the file is missing or was sealed to another identity.
    static func load(request: EventID, identity: CustodianIdentity, stateDirectory: String) throws -> BoxKeyPair {
        let path = path(request: request, stateDirectory: stateDirectory)
        guard FileSystem.exists(path) else { throw missing(request: request, stateDirectory: stateDirectory) }
        let sealed = try FileSystem.read(path, limit: 4096)
        do {
            return try BoxKeyPair(secretKey: try SealedBox.open(sealed, with: try identity.boxKeyPair()))
        } catch {
            throw CLIError("\(path) does not open with \(identity.publicIdentity.name)'s identity: it is not yours")
        }
    }

    /// Deletes a request's key file (after the open is recorded).
    ///
    /// - Parameters:
    ///   - request: The request event.
    ///   - stateDirectory: This user's state directory.
    /// - Throws: An I/O error.
    static func remove(request: EventID, stateDirectory: String) throws {
        try FileSystem.remove(path(request: request, stateDirectory: stateDirectory))
    }
}
