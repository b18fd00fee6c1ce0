import Shamir
import Sodium

/// Guarded scratch for dealing versions one after another on one thread, and the dealing of one version in it.
///
/// One ``SecureArena`` of 32-byte slots holds, for the version being dealt: the fresh key `K`, the share rows, the
/// split's self-check, the ephemeral X25519 secret key, the shared key and derived AEAD key of one holder at a time,
/// and the digest message. The arena is reset (wiped) after every version, on success and on failure, and freed wiped
/// with the workspace: one `sodium_malloc` + `mlock` per worker instead of about fifteen per version.
///
/// - Important: Not thread-safe: one workspace per worker.
final class DealWorkspace {
    private var arena: SecureArena
    private let observe: @Sendable (SecureArena) -> Void

    /// Creates a workspace for holders up to the usual policy sizes (it grows for larger ones).
    ///
    /// - Parameter observe: Test hook: sees the arena of each version once its key is drawn and split.
    init(observe: @escaping @Sendable (SecureArena) -> Void) {
        arena = SecureArena(slotByteCount: KeyCommitment.keyCount, slotCount: 24)
        self.observe = observe
    }

    /// Deals one version: steps 1–5 of ``Dealer``, with `K` drawn here (libsodium's generator, thread-safe) unless
    /// a test passes `chosenKey`, and the polynomial coefficients given (drawn by the caller, in order, from its
    /// ``Shamir/RandomSource``).
    ///
    /// - Parameters:
    ///   - job: The version.
    ///   - coefficients: Exactly ``DealRecipients/coefficientCount`` uniformly random bytes, in guarded memory.
    ///   - chosenKey: A caller-chosen key (tests only), or `nil` for a fresh one.
    /// - Returns: The publishable version.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a key or coefficients of the wrong length;
    ///   ``EscrowError/Code/cryptoFailure`` if a holder's key is unusable; ``EscrowError/Code/tampered`` if the
    ///   self-check fails.
    func deal(_ job: DealJob, coefficients: UnsafeRawBufferPointer, chosenKey: SecureBytes?)
        throws(EscrowError)
        -> DealtVersion
    {
        let recipients = job.recipients
        let width = KeyCommitment.keyCount
        let count = recipients.holders.count
        guard coefficients.count == recipients.coefficientCount else {
            throw EscrowError(
                .invalidInput,
                "a split of \(recipients.threshold) needs \(recipients.coefficientCount) random bytes"
            )
        }
        if let chosenKey, chosenKey.count != width {
            throw EscrowError(.invalidInput, "a version key has \(width) bytes, not \(chosenKey.count)")
        }
        let positions = try recipients.holders.map { (holder) throws(EscrowError) in
            try SharePosition(binding: job.binding, generation: job.generation, x: holder.x)
        }
        // Every dealt position has the same shape (x is one byte): one scratch size for all digests.
        let scratchCount = positions.first.map(ComponentDigest.scratchCount(position:)) ?? 0
        // key, check, ephemeral secret key, shared key, derived key: one slot each; the rows; the digest scratch.
        let slots = 5 + count + arena.slotsNeeded(forByteCount: scratchCount)
        if arena.slotCount < slots {
            arena = SecureArena(slotByteCount: width, slotCount: slots)
        }
        let arena = self.arena
        defer { arena.reset() }
        let region: SecureArena.Slot
        do {
            region = try arena.allocate(slots: slots)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot reserve guarded memory for the dealing: \(error.message)")
        }
        return try region.withUnsafeMutableBytes { (all) throws(EscrowError) -> DealtVersion in
            var carved = Carver(all)
            let key = carved.take(width)
            let check = carved.take(width)
            let secretKey = carved.take(BoxKeyPair.secretKeyCount)
            let shared = carved.take(width)
            let derived = carved.take(AEAD.keyCount)
            let rows = carved.take(count * width)
            let scratch = carved.take(scratchCount)

            if let chosenKey {
                chosenKey.withUnsafeBytes { key.copyMemory(from: $0) }
            } else {
                Sodium.fillRandom(key)
            }
            try split(
                UnsafeRawBufferPointer(key),
                recipients: recipients,
                coefficients: coefficients,
                rows: rows,
                check: check
            )
            observe(arena)

            let ephemeralPublicKey: [UInt8]
            do throws(SodiumError) {
                ephemeralPublicKey = try BoxKeyPair.generate(secretKeyInto: secretKey)
            } catch {
                throw EscrowError(.cryptoFailure, "cannot draw an ephemeral key: \(error.message)")
            }
            var shares: [SealedComponent] = []
            shares.reserveCapacity(count)
            for (index, holder) in recipients.holders.enumerated() {
                let row = UnsafeRawBufferPointer(rebasing: rows[(index * width)..<((index + 1) * width)])
                let position = positions[index]
                do throws(SodiumError) {
                    try BoxSharedKey.agree(
                        publicKey: holder.boxPublicKey,
                        secretKey: UnsafeRawBufferPointer(secretKey),
                        into: shared
                    )
                } catch {
                    throw EscrowError(.cryptoFailure, "cannot seal to this X25519 key: \(error.message)")
                }
                ShareSealer.derivedKey(
                    shared: UnsafeRawBufferPointer(shared),
                    ephemeralPublicKey: ephemeralPublicKey,
                    recipientBoxKey: holder.boxPublicKey,
                    into: derived
                )
                Sodium.memzero(shared)
                let sealed: [UInt8]
                do throws(SodiumError) {
                    sealed = try AEAD.seal(
                        row,
                        rawKey: UnsafeRawBufferPointer(derived),
                        associatedData: position.associatedData
                    )
                } catch {
                    throw EscrowError(.cryptoFailure, "cannot seal the share at \(position.label): \(error.message)")
                }
                Sodium.memzero(derived)
                let digest = ComponentDigest.compute(value: row, position: position, scratch: scratch)
                shares.append(SealedComponent(x: position.x, path: position.path, sealed: sealed, digest: digest))
            }
            Sodium.memzero(secretKey)
            return DealtVersion(
                sealedValue: try ValueSeal.seal(job.value, rawKey: UnsafeRawBufferPointer(key), binding: job.binding),
                commitment: KeyCommitment.compute(key: UnsafeRawBufferPointer(key), binding: job.binding),
                ephemeralPublicKey: ephemeralPublicKey,
                shares: shares,
                shape: recipients.shape
            )
        }
    }

    /// Splits `key` into `rows` with the given coefficients and checks, in constant time, that the first `threshold`
    /// rows give it back.
    private func split(
        _ key: UnsafeRawBufferPointer,
        recipients: DealRecipients,
        coefficients: UnsafeRawBufferPointer,
        rows: UnsafeMutableRawBufferPointer,
        check: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) {
        let width = KeyCommitment.keyCount
        var random = DrawnRandom(coefficients)
        do throws(ShamirError) {
            try Shamir.split(key, threshold: recipients.threshold, xs: recipients.xs, into: rows, using: &random)
            try Shamir.combine(
                xs: Array(recipients.xs.prefix(recipients.threshold)),
                rows: UnsafeRawBufferPointer(rebasing: rows[0..<(recipients.threshold * width)]),
                into: check
            )
        } catch {
            throw EscrowError(.sharingFailed, "cannot split the version key: \(error.message)")
        }
        // Shamir draws (threshold - 1) bytes per key byte in one fill for a 32-byte key (see `Shamir.split`).
        assert(random.isExhausted, "the split did not use exactly the coefficients drawn for it")
        guard Sodium.constantTimeEquals(UnsafeRawBufferPointer(check), key) else {
            throw EscrowError(.tampered, "the shares do not recombine to the version key (self-check failed)")
        }
    }
}

/// Consecutive sub-buffers of one guarded region.
private struct Carver {
    private let region: UnsafeMutableRawBufferPointer
    private var offset = 0

    init(_ region: UnsafeMutableRawBufferPointer) { self.region = region }

    /// The next `count` bytes.
    mutating func take(_ count: Int) -> UnsafeMutableRawBufferPointer {
        precondition(offset + count <= region.count, "the dealing's guarded region is too small")
        defer { offset += count }
        return UnsafeMutableRawBufferPointer(rebasing: region[offset..<(offset + count)])
    }
}

/// Serves random bytes drawn beforehand, in order: the coefficients the caller drew for one split from its own
/// ``Shamir/RandomSource`` (so a batch dealt on several threads uses exactly the bytes, in the same order, a dealing
/// one after another would).
struct DrawnRandom: RandomSource {
    private var remaining: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { remaining = bytes }

    /// Whether every drawn byte was served.
    var isExhausted: Bool { remaining.isEmpty }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard !buffer.isEmpty else { return }
        precondition(buffer.count <= remaining.count, "a split asked for more random bytes than were drawn for it")
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: remaining[0..<buffer.count]))
        remaining = UnsafeRawBufferPointer(rebasing: remaining[buffer.count...])
    }
}
