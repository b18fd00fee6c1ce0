import Shamir

/// Split/combine round trip: a secret from the input, k-of-n with native (1…n) or arbitrary distinct coordinates, a
/// seeded generator. Every tried k-subset (in any order, contiguous or separate row buffers) recovers the secret, the
/// first k shares predict every other share, and the native-line encoding of the split combines too.
enum RoundTripTarget {
    static func run(_ input: inout FuzzInput) {
        let k = 2 + Int(input.byte() % 7)
        let n = k + Int(input.byte() % 5)
        let mode = input.byte()
        let seed = input.word()
        var xs: [UInt8]
        if mode & 1 == 0 {
            xs = (1...n).map { UInt8($0) }
        } else {
            xs = []
            var candidate = input.byte()
            while xs.count < n {
                if candidate != 0 && !xs.contains(candidate) { xs.append(candidate) }
                candidate = candidate &+ (input.byte() | 1)
            }
        }
        let secret = Array(input.rest().prefix(3000))
        guard !secret.isEmpty else { return }
        var rng = SeededSource(state: seed)
        let shares: [Share]
        do {
            shares = try Shamir.split(secret, threshold: k, xs: xs, using: &rng)
        } catch {
            preconditionFailure("valid split refused: \(error)")
        }
        precondition(shares.count == n && shares.allSatisfy { $0.y.count == secret.count }, "split shape")
        // Subsets: a rotation and a reversal chosen by the mode byte.
        let rotation = Int(mode >> 1) % n
        let order = (0..<n).map { (rotation + $0) % n }
        for subset in [Array(order.prefix(k)), Array(order.suffix(k).reversed())] {
            let picked = subset.map { shares[$0] }
            do {
                let combined = try Shamir.combine(picked)
                precondition(combined == secret, "combine of \(subset) failed")
                var out = [UInt8](repeating: 0, count: secret.count)
                let rows = picked.map(\.y)
                try withRowPointers(rows) { pointers in
                    try out.withUnsafeMutableBytes { o in
                        try Shamir.combine(xs: picked.map(\.x), rows: pointers, into: o)
                    }
                }
                precondition(out == secret, "combine over separate rows failed")
                for other in shares where !picked.contains(other) {
                    let predicted = try Shamir.interpolate(at: other.x, picked)
                    precondition(predicted == other.y, "shares not on one polynomial")
                }
            } catch {
                preconditionFailure("valid combine refused: \(error)")
            }
        }
        if mode & 1 == 0 {
            do {
                var lineRNG = SeededSource(state: seed)
                let lines = try NativeShare.split(
                    secret,
                    threshold: k,
                    shareCount: n,
                    splitID: UInt32(truncatingIfNeeded: seed),
                    using: &lineRNG
                )
                let recovered = try NativeShare.combine(lines: Array(lines.suffix(k)))
                precondition(recovered == secret, "native lines")
            } catch {
                preconditionFailure("native round trip refused: \(error)")
            }
        }
    }

    private static func withRowPointers(
        _ rows: [[UInt8]],
        _ body: ([UnsafeRawBufferPointer]) throws -> Void
    ) throws {
        // The arrays outlive the pointers: they are only used inside `body`.
        let copies = rows.map { ContiguousArray($0) }
        var pointers = [UnsafeRawBufferPointer]()
        var failure: (any Error)?
        func nest(_ index: Int) {
            if index == copies.count {
                do { try body(pointers) } catch { failure = error }
                return
            }
            copies[index].withUnsafeBytes { raw in
                pointers.append(raw)
                nest(index + 1)
                pointers.removeLast()
            }
        }
        nest(0)
        if let failure { throw failure }
    }
}
