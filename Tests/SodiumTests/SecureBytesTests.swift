import Testing

@testable import Sodium

@Suite struct SecureBytesTests {
    final class Capture: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    @Test func memoryIsZeroedBeforeItIsFreed() {
        let capture = Capture()
        do {
            let secret = SecureBytes(copying: [UInt8](repeating: 0xA5, count: 48))
            #expect(secret.withUnsafeBytes { Array($0) } == [UInt8](repeating: 0xA5, count: 48))
            secret._didWipe = { capture.bytes = Array($0) }
        }
        #expect(capture.bytes.count == 48)
        #expect(capture.bytes == [UInt8](repeating: 0, count: 48))
    }

    @Test func descriptionNeverShowsBytes() {
        let secret = SecureBytes(copying: "hunter2".bytes)
        #expect(secret.description == "SecureBytes(<redacted>, 7 bytes)")
        #expect(String(reflecting: secret) == "SecureBytes(<redacted>, 7 bytes)")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!dumped.contains("104"))  // 'h' as a decimal byte
        #expect(dumped.contains("<redacted>"))
        #expect("\(secret)".contains("<redacted>"))
    }

    @Test func constantTimeEqualityComparesContents() {
        let a = SecureBytes(copying: [1, 2, 3])
        #expect(a == SecureBytes(copying: [1, 2, 3]))
        #expect(a != SecureBytes(copying: [1, 2, 4]))
        #expect(a != SecureBytes(copying: [1, 2]))
        #expect(SecureBytes(count: 0) == SecureBytes(count: 0))
        #expect(Sodium.constantTimeEquals([9, 9], [9, 9]))
        #expect(!Sodium.constantTimeEquals([9, 9], [9, 8]))
    }

    @Test func explicitWipeAndSlice() {
        let secret = SecureBytes(copying: [1, 2, 3, 4, 5])
        #expect(secret.slice(1..<3) == SecureBytes(copying: [2, 3]))
        secret.wipe()
        #expect(secret.withUnsafeBytes { Array($0) } == [0, 0, 0, 0, 0])
    }

    @Test func derivedKeyIsKeyedBLAKE2bInGuardedMemoryAndWipedOnRelease() throws {
        let ephemeral = BoxKeyPair()
        let custodian = BoxKeyPair()
        let shared = try BoxSharedKey(publicKey: custodian.publicKey, secretKey: ephemeral.secretKey)
        let context = "escrow/share-envelope/v1".bytes
        let expected = GenericHash.hash(context, key: shared.key, count: AEAD.keyCount)
        let capture = Capture()
        do {
            let derived = shared.derivedKey(context: context)
            #expect(derived.count == AEAD.keyCount)
            #expect(derived.withUnsafeBytes { Array($0) } == expected)
            derived._didWipe = { capture.bytes = Array($0) }
        }
        // The only copy of the derived key lived in guarded memory, and it is zeroed before being freed.
        #expect(capture.bytes == [UInt8](repeating: 0, count: AEAD.keyCount))
    }

    @Test func keyedDigestWritesIntoGuardedMemory() {
        let key = SecureBytes(copying: [UInt8](repeating: 0x42, count: 32))
        let digest = "context".bytes.withUnsafeBytes { GenericHash.keyedDigest(of: $0, key: key, count: 32) }
        #expect(digest.withUnsafeBytes { Array($0) } == GenericHash.hash("context".bytes, key: key, count: 32))
        let capture = Capture()
        do {
            let other = "context".bytes.withUnsafeBytes { GenericHash.keyedDigest(of: $0, key: key, count: 64) }
            #expect(other.count == 64)
            other._didWipe = { capture.bytes = Array($0) }
        }
        #expect(capture.bytes == [UInt8](repeating: 0, count: 64))
    }

    @Test func initializingWithThrowingBodyPropagatesError() {
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            _ = try SecureBytes(count: 8) { (_: UnsafeMutableRawBufferPointer) throws(Refused) in throw Refused() }
        }
    }
}
