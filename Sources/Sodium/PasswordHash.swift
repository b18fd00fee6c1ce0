internal import CSodium

/// Argon2id key derivation from a passphrase (`crypto_pwhash`, algorithm `ARGON2ID13`).
public enum PasswordHash {
    /// Salt length in bytes (16).
    public static let saltCount = Int(crypto_pwhash_saltbytes())

    /// Argon2id cost parameters. Store them beside the salt: deriving again needs the same values.
    public struct Limits: Hashable, Sendable, CustomStringConvertible {
        /// Number of passes over memory.
        public let operations: UInt64
        /// Memory in bytes.
        public let memory: Int

        /// Fast enough for interactive use (2 passes, 64 MiB), libsodium's `INTERACTIVE`.
        public static let interactive = Limits(
            validOperations: UInt64(crypto_pwhash_opslimit_interactive()),
            memory: crypto_pwhash_memlimit_interactive()
        )
        /// For identity files (3 passes, 256 MiB), libsodium's `MODERATE`.
        public static let moderate = Limits(
            validOperations: UInt64(crypto_pwhash_opslimit_moderate()),
            memory: crypto_pwhash_memlimit_moderate()
        )
        /// For the most sensitive, rarely opened secrets (4 passes, 1 GiB), libsodium's `SENSITIVE`.
        public static let sensitive = Limits(
            validOperations: UInt64(crypto_pwhash_opslimit_sensitive()),
            memory: crypto_pwhash_memlimit_sensitive()
        )

        /// Custom limits, e.g. the ones read back from a file.
        ///
        /// - Parameters:
        ///   - operations: Passes over memory (at least 1).
        ///   - memory: Bytes of memory (at least 8 KiB).
        /// - Throws: ``SodiumError/Code/invalidParameter`` outside libsodium's accepted range.
        public init(operations: UInt64, memory: Int) throws(SodiumError) {
            guard operations >= UInt64(crypto_pwhash_opslimit_min()),
                operations <= UInt64(crypto_pwhash_opslimit_max()),
                memory >= crypto_pwhash_memlimit_min(),
                memory <= crypto_pwhash_memlimit_max()
            else {
                throw SodiumError(
                    .invalidParameter,
                    "Argon2id limits out of range (ops \(operations), memory \(memory))"
                )
            }
            self.init(validOperations: operations, memory: memory)
        }

        private init(validOperations operations: UInt64, memory: Int) {
            self.operations = operations
            self.memory = memory
        }

        /// `ops=N mem=M KiB`.
        public var description: String { "ops=\(operations) mem=\(memory / 1024) KiB" }
    }

    /// Derives `count` key bytes from `password` and `salt` with Argon2id.
    ///
    /// - Parameters:
    ///   - count: The key length (at least 16).
    ///   - password: The passphrase bytes.
    ///   - salt: ``saltCount`` random bytes stored beside the derived data.
    ///   - limits: The cost parameters.
    /// - Returns: The key in guarded memory.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong salt length; ``SodiumError/Code/keyDerivationFailed``
    ///   if Argon2id cannot run (usually: not enough memory).
    public static func deriveKey(
        count: Int,
        password: SecureBytes,
        salt: [UInt8],
        limits: Limits
    ) throws(SodiumError) -> SecureBytes {
        try SodiumError.requireLength("Argon2id salt", salt.count, saltCount)
        guard count >= Int(crypto_pwhash_bytes_min()) else {
            throw SodiumError(.invalidParameter, "Argon2id output must be at least \(crypto_pwhash_bytes_min()) bytes")
        }
        Sodium.prepare()
        let key = SecureBytes(count: count)
        let rc = key.withUnsafeMutableBytes { out in
            password.withUnsafeBytes { pw -> Int32 in
                guard let outBase = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return -1 }
                return withInputPointer(pw) { pwBase in
                    pwBase.withMemoryRebound(to: CChar.self, capacity: max(pw.count, 1)) { pwChars in
                        crypto_pwhash(
                            outBase,
                            UInt64(count),
                            pwChars,
                            UInt64(pw.count),
                            salt,
                            limits.operations,
                            limits.memory,
                            crypto_pwhash_ALG_ARGON2ID13
                        )
                    }
                }
            }
        }
        try SodiumError.check(
            rc,
            SodiumError(.keyDerivationFailed, "Argon2id failed (\(limits)); is enough memory available?")
        )
        return key
    }
}
