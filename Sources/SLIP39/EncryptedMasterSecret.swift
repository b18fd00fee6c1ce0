import Sodium

extension SLIP39 {
    /// A master secret encrypted with a passphrase, with the parameters its decryption needs: what the shares
    /// actually carry.
    ///
    /// The cipher is the four-round Feistel network of SLIP-0039: the secret is cut into halves L and R, and each
    /// round sets (L, R) ← (R, L ⊕ F(i, R)) with
    /// `F(i, R) = PBKDF2-HMAC-SHA256(password: i ‖ passphrase, salt: salt ‖ R, iterations: 2500 << e, length: n/2)`,
    /// where the salt is `"shamir" ‖ identifier` (two bytes, big-endian) for non-extendable shares and empty for
    /// extendable ones. Decryption runs the rounds in reverse order.
    ///
    /// - Important: No passphrase is ever "wrong": each one decrypts to a different, equally valid-looking secret.
    public struct EncryptedMasterSecret: Sendable {
        /// The 15-bit identifier of the share set.
        public let identifier: Int
        /// Whether the identifier is left out of the encryption salt (extendable backup).
        public let isExtendable: Bool
        /// PBKDF2 runs `10000 << iterationExponent` iterations in total (a quarter per round).
        public let iterationExponent: Int
        /// The encrypted master secret (EMS).
        public let ciphertext: SecureBytes

        /// Wraps an already encrypted master secret.
        ///
        /// - Parameters:
        ///   - ciphertext: The encrypted master secret (even length, at least 16 bytes).
        ///   - identifier: `0...32767`.
        ///   - isExtendable: The extendable-backup flag.
        ///   - iterationExponent: `0...15`.
        /// - Throws: ``SLIP39Error/Code/invalidSecretLength``, ``SLIP39Error/Code/invalidIdentifier``,
        ///   ``SLIP39Error/Code/invalidIterationExponent``.
        public init(
            ciphertext: SecureBytes,
            identifier: Int,
            isExtendable: Bool,
            iterationExponent: Int
        ) throws(SLIP39Error) {
            try SLIP39.checkSecretLength(ciphertext.count)
            try SLIP39.checkIdentifier(identifier)
            try SLIP39.checkIterationExponent(iterationExponent)
            self.ciphertext = ciphertext
            self.identifier = identifier
            self.isExtendable = isExtendable
            self.iterationExponent = iterationExponent
        }

        /// Encrypts `masterSecret` under `passphrase`.
        ///
        /// - Parameters:
        ///   - masterSecret: 16 to ``SLIP39/maximumSecretByteCount`` bytes, an even number.
        ///   - passphrase: Printable ASCII (32...126); empty for none.
        ///   - identifier: `0...32767`.
        ///   - isExtendable: The extendable-backup flag.
        ///   - iterationExponent: `0...15`.
        /// - Throws: ``SLIP39Error/Code/invalidSecretLength``, ``SLIP39Error/Code/invalidPassphrase``,
        ///   ``SLIP39Error/Code/invalidIdentifier``, ``SLIP39Error/Code/invalidIterationExponent``.
        /// - Complexity: `10000 << iterationExponent` HMAC-SHA256 evaluations (per 32 bytes of half-secret).
        public init(
            encrypting masterSecret: SecureBytes,
            passphrase: SecureBytes,
            identifier: Int,
            isExtendable: Bool,
            iterationExponent: Int
        ) throws(SLIP39Error) {
            try SLIP39.checkSecretLength(masterSecret.count)
            try SLIP39.checkPassphrase(passphrase)
            try SLIP39.checkIdentifier(identifier)
            try SLIP39.checkIterationExponent(iterationExponent)
            let ciphertext = SecureBytes(count: masterSecret.count)
            FeistelCipher.apply(
                masterSecret,
                into: ciphertext,
                rounds: [0, 1, 2, 3],
                passphrase: passphrase,
                salt: FeistelCipher.saltPrefix(identifier: identifier, isExtendable: isExtendable),
                iterationExponent: iterationExponent
            )
            self.ciphertext = ciphertext
            self.identifier = identifier
            self.isExtendable = isExtendable
            self.iterationExponent = iterationExponent
        }

        /// Decrypts the master secret.
        ///
        /// - Parameter passphrase: The passphrase given at split time; any bytes are accepted (the reference
        ///   implementation does not check them either), and an empty buffer means no passphrase.
        /// - Returns: The master secret, in guarded memory.
        /// - Complexity: `10000 << iterationExponent` HMAC-SHA256 evaluations (per 32 bytes of half-secret).
        public func decrypt(passphrase: SecureBytes) -> SecureBytes {
            let masterSecret = SecureBytes(count: ciphertext.count)
            FeistelCipher.apply(
                ciphertext,
                into: masterSecret,
                rounds: [3, 2, 1, 0],
                passphrase: passphrase,
                salt: FeistelCipher.saltPrefix(identifier: identifier, isExtendable: isExtendable),
                iterationExponent: iterationExponent
            )
            return masterSecret
        }
    }
}

/// The four-round Feistel network of SLIP-0039 with PBKDF2-HMAC-SHA256 as its round function.
enum FeistelCipher {
    /// The public part of the PBKDF2 salt: `"shamir" ‖ identifier (big-endian)` unless the shares are extendable.
    static func saltPrefix(identifier: Int, isExtendable: Bool) -> [UInt8] {
        guard !isExtendable else { return [] }
        return SLIP39.customization + [
            UInt8(truncatingIfNeeded: identifier >> 8), UInt8(truncatingIfNeeded: identifier),
        ]
    }

    /// PBKDF2 iterations in one round: a quarter of `10000 << iterationExponent`.
    static func iterationsPerRound(iterationExponent: Int) -> Int {
        (SLIP39.baseIterationCount << iterationExponent) / SLIP39.roundCount
    }

    /// Runs the network over `input` (L ‖ R) with the given round order and writes R ‖ L into `output`.
    ///
    /// All intermediate values (halves, round outputs, the PBKDF2 password and salt) live in one guarded buffer,
    /// wiped when it is released.
    ///
    /// - Precondition: `input` and `output` have the same even length.
    static func apply(
        _ input: SecureBytes,
        into output: SecureBytes,
        rounds: [UInt8],
        passphrase: SecureBytes,
        salt saltPrefix: [UInt8],
        iterationExponent: Int
    ) {
        precondition(input.count == output.count && input.count % 2 == 0, "Feistel halves")
        let half = input.count / 2
        let iterations = iterationsPerRound(iterationExponent: iterationExponent)
        let passwordCount = 1 + passphrase.count
        let saltCount = saltPrefix.count + half
        // Layout: [left half | right half | round output | password | salt].
        let scratch = SecureBytes(count: 3 * half + passwordCount + saltCount)
        scratch.withUnsafeMutableBytes { scratch in
            var left = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<half])
            var right = UnsafeMutableRawBufferPointer(rebasing: scratch[half..<(2 * half)])
            let roundOutput = UnsafeMutableRawBufferPointer(rebasing: scratch[(2 * half)..<(3 * half)])
            let password = UnsafeMutableRawBufferPointer(rebasing: scratch[(3 * half)..<(3 * half + passwordCount)])
            let salt = UnsafeMutableRawBufferPointer(rebasing: scratch[(3 * half + passwordCount)...])
            input.withUnsafeBytes { input in
                left.copyMemory(from: UnsafeRawBufferPointer(rebasing: input[0..<half]))
                right.copyMemory(from: UnsafeRawBufferPointer(rebasing: input[half...]))
            }
            passphrase.withUnsafeBytes { passphrase in
                UnsafeMutableRawBufferPointer(rebasing: password[1...]).copyMemory(from: passphrase)
            }
            saltPrefix.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: salt[0..<saltPrefix.count]).copyMemory(from: $0)
            }
            let saltTail = UnsafeMutableRawBufferPointer(rebasing: salt[saltPrefix.count...])
            for round in rounds {
                password[0] = round
                saltTail.copyMemory(from: UnsafeRawBufferPointer(right))
                PBKDF2.deriveSHA256(
                    password: UnsafeRawBufferPointer(password),
                    salt: UnsafeRawBufferPointer(salt),
                    iterations: iterations,
                    into: roundOutput
                )
                for offset in 0..<half { left[offset] ^= roundOutput[offset] }
                // (L, R) ← (R, L ⊕ F): the XOR landed in `left`, so the halves trade places.
                swap(&left, &right)
            }
            output.withUnsafeMutableBytes { output in
                UnsafeMutableRawBufferPointer(rebasing: output[0..<half]).copyMemory(
                    from: UnsafeRawBufferPointer(right)
                )
                UnsafeMutableRawBufferPointer(rebasing: output[half...]).copyMemory(from: UnsafeRawBufferPointer(left))
            }
        }
    }
}
