import CTGrind
import Sodium

/// A deliberately leaky function: memcheck must report both of its leaks, or the check proves nothing.
enum Control {
    /// A 256-entry table, like the log/exp tables of a table-driven GF(256) multiply.
    private static let table: [UInt8] = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }

    /// Leaks `secret[0] == 0` through a branch and `secret[1]` through the address of a table lookup.
    @inline(never)
    static func leak(_ secret: UnsafeRawBufferPointer) -> UInt8 {
        var result: UInt8 = 0
        // Leak 1: a branch on a secret byte (a call on one side only, so it stays a jump, not a conditional move).
        if secret[0] == 0 {
            result = slowPath()
        }
        // Leak 2: a load whose address is a secret byte (through a raw pointer: no bounds check, only the index).
        result ^= table.withUnsafeBufferPointer { table in
            guard let base = table.baseAddress else { return 0 }
            return base[Int(secret[1])]
        }
        return result
    }

    @inline(never)
    private static func slowPath() -> UInt8 {
        0x5A
    }

    /// Runs the leaky function on two secret bytes; prints its result after marking it public.
    static func run() {
        var secret: [UInt8] = [0, 0]
        secret.withUnsafeMutableBytes { Sodium.fillRandom($0) }
        secret.withUnsafeBytes { ct_secret($0.baseAddress, $0.count) }
        var result = secret.withUnsafeBytes { leak($0) }
        withUnsafeBytes(of: &result) { ct_public($0.baseAddress, $0.count) }
        print("control: leaky function ran (result \(result)); memcheck must have reported it above")
    }
}
