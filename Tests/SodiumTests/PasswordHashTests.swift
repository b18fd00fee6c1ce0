import Sodium
import Testing

@Suite struct PasswordHashTests {
    // Small limits keep the test fast; the presets are checked by value.
    let fast: PasswordHash.Limits

    init() throws {
        fast = try PasswordHash.Limits(operations: 1, memory: 64 * 1024)
    }

    @Test func deterministicAndSaltAndPasswordSensitive() throws {
        let password = SecureBytes(copying: "correct horse battery staple".bytes)
        let salt = [UInt8](repeating: 7, count: PasswordHash.saltCount)
        let a = try PasswordHash.deriveKey(count: 32, password: password, salt: salt, limits: fast)
        let b = try PasswordHash.deriveKey(count: 32, password: password, salt: salt, limits: fast)
        #expect(a == b)
        var otherSalt = salt
        otherSalt[0] ^= 1
        #expect(try PasswordHash.deriveKey(count: 32, password: password, salt: otherSalt, limits: fast) != a)
        let other = SecureBytes(copying: "correct horse battery stapla".bytes)
        #expect(try PasswordHash.deriveKey(count: 32, password: other, salt: salt, limits: fast) != a)
        let slower = try PasswordHash.Limits(operations: 2, memory: 64 * 1024)
        #expect(try PasswordHash.deriveKey(count: 32, password: password, salt: salt, limits: slower) != a)
    }

    @Test func presetsMatchLibsodium() {
        #expect(PasswordHash.Limits.interactive.operations == 2)
        #expect(PasswordHash.Limits.interactive.memory == 64 << 20)
        #expect(PasswordHash.Limits.moderate.operations == 3)
        #expect(PasswordHash.Limits.moderate.memory == 256 << 20)
        #expect(PasswordHash.Limits.sensitive.operations == 4)
        #expect(PasswordHash.Limits.sensitive.memory == 1 << 30)
    }

    @Test func badParametersAreErrors() throws {
        let password = SecureBytes(copying: "x".bytes)
        #expect(throws: SodiumError(.invalidLength, "")) {
            try PasswordHash.deriveKey(count: 32, password: password, salt: [1, 2], limits: fast)
        }
        #expect(throws: SodiumError(.invalidParameter, "")) {
            try PasswordHash.Limits(operations: 0, memory: 64 * 1024)
        }
        #expect(throws: SodiumError(.invalidParameter, "")) {
            try PasswordHash.Limits(operations: 1, memory: 1024)
        }
    }
}
