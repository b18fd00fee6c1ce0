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

    @Test func initializingWithThrowingBodyPropagatesError() {
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            _ = try SecureBytes(count: 8) { (_: UnsafeMutableRawBufferPointer) throws(Refused) in throw Refused() }
        }
    }
}
