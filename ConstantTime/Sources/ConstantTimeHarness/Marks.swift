import CTGrind
import Shamir
import Sodium

/// The ctgrind marks: memcheck treats "secret" bytes as uninitialised, so every branch and every memory address
/// computed from them is reported.
enum Marks {
    /// Marks the bytes secret (memcheck: undefined).
    static func secret(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        ct_secret(base, bytes.count)
    }

    /// Marks the bytes public (memcheck: defined).
    static func publish(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        ct_public(base, bytes.count)
    }

    /// Marks the array's bytes secret.
    static func secret(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { secret($0) }
    }

    /// Marks the guarded buffer's bytes secret.
    static func secret(_ bytes: SecureBytes) {
        bytes.withUnsafeBytes { secret($0) }
    }

    /// A public copy of secret bytes, for the harness's own checks only (never handed back to the code under test).
    static func publicCopy(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let copy = [UInt8](bytes)
        copy.withUnsafeBytes { publish($0) }
        return copy
    }

    /// A public copy of a secret array.
    static func publicCopy(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { publicCopy($0) }
    }

    /// A public copy of a guarded buffer.
    static func publicCopy(_ bytes: SecureBytes) -> [UInt8] {
        bytes.withUnsafeBytes { publicCopy($0) }
    }

    /// `count` fresh random bytes, marked secret after they are drawn.
    static func randomSecret(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { Sodium.fillRandom($0) }
        secret(bytes)
        return bytes
    }
}

/// libsodium's CSPRNG whose output is marked secret once drawn (polynomial coefficients, SLIP-39 digest keys).
///
/// The first `publicFills` draws stay public: SLIP-39 draws its share-set identifier first, and the identifier is
/// public (it is the first word of every mnemonic).
struct SecretRandom: RandomSource {
    var publicFills = 0

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.fillRandom(buffer)
        if publicFills > 0 {
            publicFills -= 1
        } else {
            Marks.secret(UnsafeRawBufferPointer(buffer))
        }
    }
}

/// libsodium's CSPRNG for public draws (x-coordinates).
struct PublicRandom: RandomSource {
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.fillRandom(buffer)
    }
}
