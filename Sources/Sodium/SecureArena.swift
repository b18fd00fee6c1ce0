internal import CSodium

/// One block of guarded memory carved into fixed-size slots, for the many small secrets of one batch: a single
/// `sodium_malloc` (guard pages and a canary) and a single `sodium_mlock` for all of them, instead of one of each per
/// 32-byte secret (several pages and system calls every time, as with ``SecureBytes``).
///
/// ```swift
/// let arena = SecureArena(slotByteCount: 32, slotCount: 8)
/// let key = try arena.allocate()                 // one zero-filled 32-byte slot
/// let rows = try arena.allocate(slots: 5)        // five consecutive slots, 160 bytes
/// key.withUnsafeMutableBytes { Sodium.fillRandom($0) }
/// arena.reset()                                  // wipes every slot; `key` and `rows` are no longer usable
/// ```
///
/// - Slots never overlap: ``allocate(slots:)`` hands out consecutive slots after the last one handed out, and refuses
///   (``SodiumError/Code/outOfMemory``) once the capacity is used up; it never grows or reuses memory by itself.
/// - ``reset()`` wipes the slots handed out (`sodium_memzero`) and makes the whole capacity available again; a
///   ``Slot`` handed out before a reset traps when used (each slot carries the arena's epoch).
/// - On release the whole block is wiped, unlocked and freed.
///
/// - Important: An arena is not thread-safe: allocate and reset from one thread at a time. Slots are disjoint, so
///   different threads may read or write *different* slots concurrently (e.g. workers each using slots allocated for
///   them before they started), as long as nobody allocates or resets meanwhile.
public final class SecureArena: @unchecked Sendable {
    // Safety: `base` is owned exclusively by this instance; `used` and `epoch` change only in `allocate` and `reset`,
    // which the documented contract confines to one thread while no slot is in use elsewhere.
    private let base: UnsafeMutableRawPointer
    /// The size of one slot in bytes.
    public let slotByteCount: Int
    /// The number of slots.
    public let slotCount: Int
    /// Whether `sodium_mlock` succeeded (it can fail when `RLIMIT_MEMLOCK` is small; the memory is still guarded).
    public let isLocked: Bool
    private var used = 0
    private var epoch: UInt64 = 0

    /// Test hook: called with the whole block after it has been wiped and before it is freed.
    var _didWipe: (@Sendable (UnsafeRawBufferPointer) -> Void)?

    /// Allocates `slotCount` zero-filled slots of `slotByteCount` bytes in one guarded, locked block.
    ///
    /// - Parameters:
    ///   - slotByteCount: The size of a slot, at least 1.
    ///   - slotCount: The number of slots, at least 1.
    /// - Precondition: Both are positive, their product fits in `Int`, and guarded memory is available (an
    ///   allocation failure traps: a process that cannot allocate guarded memory must not continue handling secrets).
    public init(slotByteCount: Int, slotCount: Int) {
        precondition(slotByteCount > 0 && slotCount > 0, "a secure arena needs at least one slot of one byte")
        let (byteCount, overflow) = slotByteCount.multipliedReportingOverflow(by: slotCount)
        precondition(!overflow, "a secure arena of \(slotCount) slots of \(slotByteCount) bytes is too large")
        Sodium.prepare()
        guard let pointer = sodium_malloc(byteCount) else {
            preconditionFailure("sodium_malloc could not allocate \(byteCount) bytes of guarded memory")
        }
        sodium_memzero(pointer, byteCount)
        base = pointer
        self.slotByteCount = slotByteCount
        self.slotCount = slotCount
        isLocked = sodium_mlock(pointer, byteCount) == 0
    }

    deinit {
        sodium_memzero(base, byteCount)
        _didWipe?(UnsafeRawBufferPointer(start: base, count: byteCount))
        if isLocked { _ = sodium_munlock(base, byteCount) }
        sodium_free(base)
    }

    /// The size of the block in bytes (`slotByteCount × slotCount`).
    public var byteCount: Int { slotByteCount * slotCount }

    /// The number of slots not yet handed out since the last ``reset()``.
    public var availableSlotCount: Int { slotCount - used }

    /// Hands out `count` consecutive zero-filled slots, after every slot handed out before.
    ///
    /// - Parameter count: The number of slots, at least 1.
    /// - Returns: The slots, as one region of `count × slotByteCount` bytes.
    /// - Throws: ``SodiumError/Code/outOfMemory`` if fewer than `count` slots are left (nothing is handed out);
    ///   ``SodiumError/Code/invalidParameter`` if `count < 1`.
    /// - Complexity: O(1); no system call.
    public func allocate(slots count: Int = 1) throws(SodiumError) -> Slot {
        guard count >= 1 else {
            throw SodiumError(.invalidParameter, "a secure arena hands out at least one slot, not \(count)")
        }
        guard count <= availableSlotCount else {
            throw SodiumError(
                .outOfMemory,
                "the secure arena has \(availableSlotCount) of \(slotCount) slots left, \(count) were asked for"
            )
        }
        let slot = Slot(arena: self, offset: used * slotByteCount, count: count * slotByteCount, epoch: epoch)
        used += count
        return slot
    }

    /// Hands out the fewest consecutive slots that hold `byteCount` bytes (see ``allocate(slots:)``).
    ///
    /// - Parameter byteCount: The number of bytes needed, at least 1.
    /// - Returns: The slots; the region may be longer than `byteCount` (whole slots).
    /// - Throws: ``SodiumError/Code/outOfMemory`` or ``SodiumError/Code/invalidParameter`` as ``allocate(slots:)``.
    public func allocate(byteCount: Int) throws(SodiumError) -> Slot {
        guard byteCount >= 1 else {
            throw SodiumError(.invalidParameter, "a secure arena hands out at least one byte, not \(byteCount)")
        }
        return try allocate(slots: (byteCount + slotByteCount - 1) / slotByteCount)
    }

    /// The number of slots that hold `byteCount` bytes.
    ///
    /// - Parameter byteCount: A size in bytes.
    /// - Returns: `⌈byteCount / slotByteCount⌉`.
    public func slotsNeeded(forByteCount byteCount: Int) -> Int {
        (max(byteCount, 0) + slotByteCount - 1) / slotByteCount
    }

    /// Wipes every slot handed out since the last reset and makes the whole capacity available again. Slots handed
    /// out before trap when used afterwards.
    ///
    /// - Complexity: O(bytes handed out); no system call.
    public func reset() {
        if used > 0 { sodium_memzero(base, used * slotByteCount) }
        used = 0
        epoch &+= 1
    }

    /// Calls `body` with the whole block (tests: check that it is zero).
    func withWholeBlock<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: base, count: byteCount))
    }

    /// A region of consecutive slots of a ``SecureArena``, handed out by ``SecureArena/allocate(slots:)``.
    ///
    /// A slot keeps its arena alive. It is usable until the arena's next ``SecureArena/reset()`` (using it afterwards
    /// traps). Copies refer to the same memory.
    public struct Slot: @unchecked Sendable {
        // Safety: the region is disjoint from every other slot of the same epoch; see SecureArena's contract.
        private let arena: SecureArena
        private let offset: Int
        private let epoch: UInt64
        /// The region's size in bytes (a whole number of slots).
        public let count: Int

        fileprivate init(arena: SecureArena, offset: Int, count: Int, epoch: UInt64) {
            self.arena = arena
            self.offset = offset
            self.count = count
            self.epoch = epoch
        }

        /// Calls `body` with read access to the region. Do not let the pointer escape.
        ///
        /// - Parameter body: Reads the bytes.
        /// - Returns: What `body` returns.
        /// - Throws: Whatever `body` throws.
        /// - Precondition: The arena has not been reset since the slot was handed out.
        public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
            try body(UnsafeRawBufferPointer(start: start, count: count))
        }

        /// Calls `body` with write access to the region. Do not let the pointer escape.
        ///
        /// - Parameter body: Reads or writes the bytes.
        /// - Returns: What `body` returns.
        /// - Throws: Whatever `body` throws.
        /// - Precondition: The arena has not been reset since the slot was handed out.
        public func withUnsafeMutableBytes<R, E: Error>(
            _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
        ) throws(E) -> R {
            try body(UnsafeMutableRawBufferPointer(start: start, count: count))
        }

        /// Overwrites the region with zeros now (`sodium_memzero`), without waiting for the arena's reset.
        ///
        /// - Precondition: The arena has not been reset since the slot was handed out.
        public func wipe() {
            sodium_memzero(start, count)
        }

        private var start: UnsafeMutableRawPointer {
            precondition(arena.epoch == epoch, "a secure arena slot was used after the arena was reset")
            return arena.base + offset
        }
    }
}

extension SecureArena: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `SecureArena(<redacted>, N slots of M bytes)`: the shape only, never the contents.
    public var description: String { "SecureArena(<redacted>, \(slotCount) slots of \(slotByteCount) bytes)" }
    /// Same as ``description``.
    public var debugDescription: String { description }
    /// A mirror without children, so `dump` and debuggers show no bytes.
    public var customMirror: Mirror { Mirror(self, children: ["contents": "<redacted>"]) }
}
