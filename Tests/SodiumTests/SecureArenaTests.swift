import Testing

@testable import Sodium

@Suite struct SecureArenaTests {
    final class Capture: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    func block(_ arena: SecureArena) -> [UInt8] { arena.withWholeBlock { Array($0) } }

    /// Regions handed out one after another are disjoint, in order, and keep what each one was given.
    @Test func slotsDoNotOverlap() throws {
        let arena = SecureArena(slotByteCount: 32, slotCount: 10)
        #expect(arena.byteCount == 320 && arena.availableSlotCount == 10)
        let sizes = [1, 3, 2, 4]
        var slots: [SecureArena.Slot] = []
        for size in sizes { slots.append(try arena.allocate(slots: size)) }
        #expect(slots.map(\.count) == [32, 96, 64, 128])
        #expect(arena.availableSlotCount == 0)
        let ranges = slots.map { slot in
            slot.withUnsafeBytes { bytes in
                let start = Int(bitPattern: bytes.baseAddress)
                return start..<(start + bytes.count)
            }
        }
        for (index, range) in ranges.enumerated() {
            for other in ranges[(index + 1)...] { #expect(!range.overlaps(other)) }
        }
        // Consecutive: the whole block, in order.
        for (range, next) in zip(ranges, ranges.dropFirst()) { #expect(range.upperBound == next.lowerBound) }
        for (index, slot) in slots.enumerated() {
            #expect(slot.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
            slot.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: UInt8(0xA0 + index)) }
        }
        for (index, slot) in slots.enumerated() {
            #expect(slot.withUnsafeBytes { Array($0) } == [UInt8](repeating: UInt8(0xA0 + index), count: slot.count))
        }
        let expected = zip(sizes, 0...).flatMap { size, index in
            [UInt8](repeating: UInt8(0xA0 + index), count: size * 32)
        }
        #expect(block(arena) == expected)
    }

    /// Asking for more slots than are left is refused, hands out nothing, and leaves the rest usable.
    @Test func outOfCapacityRefused() throws {
        let arena = SecureArena(slotByteCount: 16, slotCount: 4)
        _ = try arena.allocate(slots: 3)
        #expect(throws: SodiumError(.outOfMemory, "")) { _ = try arena.allocate(slots: 2) }
        #expect(throws: SodiumError(.outOfMemory, "")) { _ = try arena.allocate(byteCount: 17) }
        #expect(arena.availableSlotCount == 1)
        #expect(throws: SodiumError(.invalidParameter, "")) { _ = try arena.allocate(slots: 0) }
        #expect(throws: SodiumError(.invalidParameter, "")) { _ = try arena.allocate(byteCount: 0) }
        #expect(try arena.allocate(byteCount: 9).count == 16)
        #expect(throws: SodiumError(.outOfMemory, "")) { _ = try arena.allocate() }
        #expect(arena.slotsNeeded(forByteCount: 33) == 3)
        #expect(arena.slotsNeeded(forByteCount: 32) == 2)
    }

    /// A reset wipes what was handed out and makes the capacity available again, zero-filled; a slot wipes its own
    /// region only; the release wipes the whole block before freeing it.
    @Test func zeroizedOnWipeResetAndRelease() throws {
        let capture = Capture()
        do {
            let arena = SecureArena(slotByteCount: 8, slotCount: 6)
            let first = try arena.allocate(slots: 2)
            let second = try arena.allocate(slots: 2)
            first.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0x5A) }
            second.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0xA5) }
            first.wipe()
            #expect(
                block(arena) == [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0xA5, count: 16)
                    + [UInt8](repeating: 0, count: 16)
            )
            arena.reset()
            #expect(block(arena).allSatisfy { $0 == 0 })
            #expect(arena.availableSlotCount == 6)
            let again = try arena.allocate(slots: 6)
            #expect(again.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
            again.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0xC3) }
            arena._didWipe = { capture.bytes = Array($0) }
        }
        #expect(capture.bytes == [UInt8](repeating: 0, count: 48))
    }

    /// A slot handed out before a reset cannot be used afterwards (it would alias the next holder's secret).
    @Test func slotUsedAfterResetTraps() async {
        await #expect(processExitsWith: .failure) {
            let arena = SecureArena(slotByteCount: 32, slotCount: 1)
            let slot = try arena.allocate()
            arena.reset()
            _ = try arena.allocate()
            slot.withUnsafeMutableBytes { $0[0] = 1 }
        }
    }

    @Test func descriptionNeverShowsBytes() throws {
        let arena = SecureArena(slotByteCount: 4, slotCount: 2)
        try arena.allocate(slots: 2).withUnsafeMutableBytes { $0.copyBytes(from: Array("hunter2!".utf8)) }
        #expect(arena.description == "SecureArena(<redacted>, 2 slots of 4 bytes)")
        var dumped = ""
        dump(arena, to: &dumped)
        #expect(!dumped.contains("hunter") && !dumped.contains("104") && dumped.contains("<redacted>"))
    }

    /// The raw-buffer forms used with an arena give the same results as the guarded-object forms.
    @Test func rawBufferFormsMatchTheGuardedForms() throws {
        let arena = SecureArena(slotByteCount: 32, slotCount: 4)
        let secretKey = try arena.allocate()
        let shared = try arena.allocate()
        let custodian = BoxKeyPair()
        let publicKey = try secretKey.withUnsafeMutableBytes { try BoxKeyPair.generate(secretKeyInto: $0) }
        let rebuilt = try BoxKeyPair(secretKey: SecureBytes(copying: secretKey.withUnsafeBytes { Array($0) }))
        #expect(rebuilt.publicKey == publicKey)
        try secretKey.withUnsafeBytes { sk in
            try shared.withUnsafeMutableBytes {
                try BoxSharedKey.agree(publicKey: custodian.publicKey, secretKey: sk, into: $0)
            }
        }
        let guarded = try BoxSharedKey(publicKey: custodian.publicKey, secretKey: rebuilt.secretKey)
        #expect(shared.withUnsafeBytes { Array($0) } == guarded.key.withUnsafeBytes { Array($0) })
        // The other side agrees on the same key.
        let other = try BoxSharedKey(publicKey: publicKey, secretKey: custodian.secretKey)
        #expect(other.key == guarded.key)

        let sealed = try shared.withUnsafeBytes { key in
            try Array("s3cret".utf8).withUnsafeBytes { try AEAD.seal($0, rawKey: key, associatedData: [1, 2]) }
        }
        #expect(
            try AEAD.open(sealed, key: guarded.key, associatedData: [1, 2]).withUnsafeBytes { Array($0) }
                == Array("s3cret".utf8)
        )
        #expect(throws: SodiumError(.authenticationFailed, "")) {
            _ = try AEAD.open(sealed, key: guarded.key, associatedData: [1, 3])
        }
        #expect(throws: SodiumError(.invalidLength, "")) {
            _ = try [UInt8](repeating: 1, count: 16).withUnsafeBytes { key in try AEAD.seal(key, rawKey: key) }
        }
    }

    /// A low-order public key is refused and the output wiped.
    @Test func agreementWithALowOrderPointRefused() throws {
        let arena = SecureArena(slotByteCount: 32, slotCount: 2)
        let secretKey = try arena.allocate()
        let shared = try arena.allocate()
        _ = try secretKey.withUnsafeMutableBytes { try BoxKeyPair.generate(secretKeyInto: $0) }
        shared.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0xEE) }
        #expect(throws: SodiumError(.invalidKey, "")) {
            try secretKey.withUnsafeBytes { sk in
                try shared.withUnsafeMutableBytes {
                    try BoxSharedKey.agree(publicKey: [UInt8](repeating: 0, count: 32), secretKey: sk, into: $0)
                }
            }
        }
        #expect(shared.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
        #expect(throws: SodiumError(.invalidLength, "")) {
            try secretKey.withUnsafeBytes { sk in
                try shared.withUnsafeMutableBytes { try BoxSharedKey.agree(publicKey: [1], secretKey: sk, into: $0) }
            }
        }
    }
}
