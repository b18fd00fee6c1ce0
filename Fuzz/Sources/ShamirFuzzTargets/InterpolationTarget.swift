import Shamir

/// The vector kernels against the scalar reference: arbitrary rows (any length, so every block/vector/tail mix), 1…9
/// distinct coordinates (0 allowed) and any evaluation point; `interpolate` must equal textbook Lagrange.
enum InterpolationTarget {
    static func run(_ input: inout FuzzInput) {
        let count = 1 + Int(input.byte() % 9)
        let at = input.byte()
        var xs = [UInt8]()
        var next = input.byte()
        while xs.count < count {
            if !xs.contains(next) { xs.append(next) }
            next = next &+ (input.byte() | 1)
        }
        let length = input.remaining / count
        let rows = (0..<count).map { _ in input.take(length) }
        let shares = zip(xs, rows).map { Share(x: $0, y: $1) }
        do throws(ShamirError) {
            let value = try Shamir.interpolate(at: at, shares)
            precondition(value == Reference.interpolate(at: at, xs: xs, rows: rows), "kernel differs from reference")
        } catch {
            preconditionFailure("valid interpolation refused: \(error)")
        }
    }
}
