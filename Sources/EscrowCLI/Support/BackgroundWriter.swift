import Dispatch
import Synchronization

/// Runs blocking output work (checksums, `write(2)` calls) on one background thread, in submission order, while the
/// caller computes the next piece: the computation and the kernel's page-cache copies overlap on two cores.
///
/// The caller owns a fixed set of buffers ("slots"): ``acquireSlot()`` blocks until one is free again, and a job
/// submitted with ``submit(_:)`` releases its slot when it ends, even if it fails. The first error is kept, later
/// jobs are skipped, and ``finish()`` waits for everything and rethrows it.
final class BackgroundWriter: Sendable {
    private let queue = DispatchQueue(label: "escrow.background-writer")
    private let freeSlots: DispatchSemaphore
    private let failure = Mutex<CLIError?>(nil)

    /// Creates a writer for `slotCount` caller-owned buffers.
    init(slotCount: Int) {
        precondition(slotCount >= 1, "at least one slot")
        freeSlots = DispatchSemaphore(value: slotCount)
    }

    /// Whether a job has failed (the caller can stop producing).
    var hasFailed: Bool { failure.withLock { $0 != nil } }

    /// Blocks until a slot is free.
    func acquireSlot() {
        freeSlots.wait()
    }

    /// Gives back a slot that was acquired but not handed to a job.
    func releaseSlot() {
        freeSlots.signal()
    }

    /// Runs `job` after every job submitted before it, then frees its slot.
    func submit(_ job: @escaping @Sendable () throws -> Void) {
        queue.async { [self] in
            defer { freeSlots.signal() }
            guard !hasFailed else { return }
            do {
                try job()
            } catch {
                let reported = error as? CLIError ?? CLIError("\(error)")
                failure.withLock { if $0 == nil { $0 = reported } }
            }
        }
    }

    /// Waits until every submitted job has ended; throws the first failure.
    func finish() throws {
        queue.sync {}
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
