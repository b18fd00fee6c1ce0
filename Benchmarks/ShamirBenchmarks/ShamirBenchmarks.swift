import Benchmark
import Escrow
import Shamir
import Sodium

/// A source that draws nothing (the coefficients stay as they are): isolates the kernel's cost from the randomness.
private struct NoRandomness: RandomSource {
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {}
}

/// Hot paths of the Shamir core, 3-of-5 unless stated. Setup happens before `startMeasurement()`; every result is
/// checked with `precondition` and passed through `blackHole`. Throughput is reported in bytes (or secrets) per second
/// through `.throughput` with `scalingFactor` set so that one "operation" is one byte / one secret.
///
/// The "allocations_" benchmarks gate the in-place APIs on their allocation count (checked-in `Thresholds/`, checked
/// with `swift package benchmark thresholds check --path $PWD/Thresholds/<toolchain>`). They measure nothing else; the
/// APIs themselves allocate nothing (a uprobe on malloc counts 0 per call), the few counted per sample are the
/// harness's, constant, so one more allocation in an API fails the check. (Their names have no spaces: package-benchmark
/// 1.38.1 writes threshold files with `_` for spaces but looks them up with the raw name.)
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(3)
    Benchmark.defaultConfiguration.maxIterations = 1_000_000
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident]
    // Per-iteration /proc sampling (cpu, resident memory) would dwarf a microsecond operation.
    let smallMetrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]
    let xs: [UInt8] = [1, 2, 3, 4, 5]

    // MARK: 64 MiB secret

    let big = 64 << 20
    Benchmark(
        "split 64 MiB 3-of-5 (incl. StreamRandom)",
        configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 15)
    ) { benchmark in
        let secret = SecureBytes.random(count: big)
        let shares = [UInt8](repeating: 1, count: 5 * big)  // pre-touched
        var rows = shares
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var rng = StreamRandom()
            secret.withUnsafeBytes { s in
                rows.withUnsafeMutableBytes { r in
                    do { try Shamir.split(s, threshold: 3, xs: xs, into: r, using: &rng) } catch {
                        preconditionFailure("\(error)")
                    }
                }
            }
            blackHole(rows)
        }
        benchmark.stopMeasurement()
        precondition(rows[0] != 1 || rows[1] != 1 || rows[2] != 1, "split wrote nothing")
    }

    Benchmark(
        "split 64 MiB 3-of-5 (kernel only, no randomness drawn)",
        configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 15)
    ) { benchmark in
        let secret = SecureBytes.random(count: big)
        var rows = [UInt8](repeating: 1, count: 5 * big)
        var rng = NoRandomness()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            secret.withUnsafeBytes { s in
                rows.withUnsafeMutableBytes { r in
                    do { try Shamir.split(s, threshold: 3, xs: xs, into: r, using: &rng) } catch {
                        preconditionFailure("\(error)")
                    }
                }
            }
            blackHole(rows)
        }
        benchmark.stopMeasurement()
        precondition(rows[0] != 1 || rows[1] != 1, "split wrote nothing")
    }

    Benchmark(
        "StreamRandom 128 MiB in 32 KiB fills (the coefficients of a 64 MiB split)",
        configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 15)
    ) { benchmark in
        var buffer = [UInt8](repeating: 0, count: 32 << 10)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let rng = StreamRandom()
            for _ in 0..<(2 * big / buffer.count) {
                buffer.withUnsafeMutableBytes { rng.fill($0) }
            }
            blackHole(buffer)
        }
        benchmark.stopMeasurement()
        precondition(buffer.contains { $0 != 0 }, "no keystream")
    }

    Benchmark(
        "combine 64 MiB from 3 shares",
        configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 30)
    ) { benchmark in
        let secret = SecureBytes.random(count: big)
        var rows = [UInt8](repeating: 0, count: 5 * big)
        var rng = StreamRandom()
        secret.withUnsafeBytes { s in
            rows.withUnsafeMutableBytes { r in try? Shamir.split(s, threshold: 3, xs: xs, into: r, using: &rng) }
        }
        let picked = Array(rows[(1 * big)..<(2 * big)] + rows[(3 * big)..<(4 * big)] + rows[(4 * big)..<(5 * big)])
        var out = [UInt8](repeating: 1, count: big)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            picked.withUnsafeBytes { r in
                out.withUnsafeMutableBytes { o in
                    do { try Shamir.combine(xs: [2, 4, 5], rows: r, into: o) } catch { preconditionFailure("\(error)") }
                }
            }
            blackHole(out)
        }
        benchmark.stopMeasurement()
        let ok = secret.withUnsafeBytes { s in out.withUnsafeBytes { Sodium.constantTimeEquals(s, $0) } }
        precondition(ok, "combine gave the wrong secret")
    }

    // MARK: batch of 100,000 keys of 32 bytes

    let count = 100_000
    let length = 32
    Benchmark(
        "splitBatch 100k x 32 B 3-of-5 (incl. StreamRandom)",
        configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 200)
    ) { benchmark in
        let secrets = SecureBytes.random(count: count * length)
        var rows = [UInt8](repeating: 1, count: 5 * count * length)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var rng = StreamRandom()
            secrets.withUnsafeBytes { s in
                rows.withUnsafeMutableBytes { r in
                    do {
                        try Shamir.splitBatch(s, secretLength: length, threshold: 3, xs: xs, into: r, using: &rng)
                    } catch { preconditionFailure("\(error)") }
                }
            }
            blackHole(rows)
        }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "combineBatch 100k x 32 B from 3 shares",
        configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 500)
    ) { benchmark in
        let secrets = SecureBytes.random(count: count * length)
        var rows = [UInt8](repeating: 0, count: 5 * count * length)
        var rng = StreamRandom()
        secrets.withUnsafeBytes { s in
            rows.withUnsafeMutableBytes { r in
                try? Shamir.splitBatch(s, secretLength: length, threshold: 3, xs: xs, into: r, using: &rng)
            }
        }
        let row = count * length
        let picked = Array(rows[0..<row] + rows[(2 * row)..<(3 * row)] + rows[(4 * row)..<(5 * row)])
        var out = [UInt8](repeating: 0, count: row)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            picked.withUnsafeBytes { r in
                out.withUnsafeMutableBytes { o in
                    do {
                        try Shamir.combineBatch(xs: [1, 3, 5], rows: r, secretLength: length, into: o)
                    } catch { preconditionFailure("\(error)") }
                }
            }
            blackHole(out)
        }
        benchmark.stopMeasurement()
        let ok = secrets.withUnsafeBytes { s in out.withUnsafeBytes { Sodium.constantTimeEquals(s, $0) } }
        precondition(ok, "combineBatch gave the wrong secrets")
    }

    // MARK: one small secret

    Benchmark(
        "split one 32 B secret 3-of-5 (in place, caller's RNG), x1000",
        configuration: .init(metrics: smallMetrics, scalingFactor: .kilo)
    ) { benchmark in
        let secret = SecureBytes.random(count: 32)
        var rows = [UInt8](repeating: 0, count: 5 * 32)
        var rng = StreamRandom()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            secret.withUnsafeBytes { s in
                rows.withUnsafeMutableBytes { r in
                    do { try Shamir.split(s, threshold: 3, xs: xs, into: r, using: &rng) } catch {
                        preconditionFailure("\(error)")
                    }
                }
            }
            blackHole(rows)
        }
    }

    Benchmark(
        "combine one 32 B secret from 3 shares (in place), x1000",
        configuration: .init(metrics: smallMetrics, scalingFactor: .kilo)
    ) { benchmark in
        let rows = Sodium.randomBytes(3 * 32)
        var out = [UInt8](repeating: 0, count: 32)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rows.withUnsafeBytes { r in
                out.withUnsafeMutableBytes { o in
                    do { try Shamir.combine(xs: [1, 2, 3], rows: r, into: o) } catch { preconditionFailure("\(error)") }
                }
            }
            blackHole(out)
        }
    }

    // MARK: allocation gates (STYLE.md rule 10: the in-place APIs allocate nothing)

    let noAllocation: [BenchmarkMetric: BenchmarkThresholds] = [.mallocCountTotal: .init(absolute: [.p90: 0])]
    let gate = Benchmark.Configuration(
        metrics: [.mallocCountTotal],
        maxDuration: .seconds(1),
        maxIterations: 1000,
        thresholds: noAllocation
    )
    let rowLength = 4096 + 77  // whole blocks, whole vectors and a partial vector
    Benchmark("allocations_split_4KiB_3of5_in_place", configuration: gate) { benchmark in
        let secret = SecureBytes.random(count: rowLength)
        var rows = [UInt8](repeating: 0, count: 5 * rowLength)
        var rng = StreamRandom()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            secret.withUnsafeBytes { s in
                rows.withUnsafeMutableBytes { r in
                    do { try Shamir.split(s, threshold: 3, xs: xs, into: r, using: &rng) } catch {
                        preconditionFailure("\(error)")
                    }
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(rows)
    }
    Benchmark("allocations_combine_interpolate_4KiB_in_place", configuration: gate) { benchmark in
        let rows = Sodium.randomBytes(3 * rowLength)
        var out = [UInt8](repeating: 0, count: rowLength)
        let picked: [UInt8] = [1, 3, 5]
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rows.withUnsafeBytes { r in
                out.withUnsafeMutableBytes { o in
                    do {
                        try Shamir.combine(xs: picked, rows: r, into: o)
                        try Shamir.interpolate(at: 7, xs: picked, rows: r, into: o)
                    } catch { preconditionFailure("\(error)") }
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(out)
    }
    Benchmark("allocations_splitBatch_combineBatch_1000x32B_in_place", configuration: gate) { benchmark in
        let secrets = SecureBytes.random(count: 1000 * 32)
        var rows = [UInt8](repeating: 0, count: 5 * 1000 * 32)
        var out = [UInt8](repeating: 0, count: 1000 * 32)
        var rng = StreamRandom()
        let picked: [UInt8] = [1, 2, 3]
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            secrets.withUnsafeBytes { s in
                rows.withUnsafeMutableBytes { r in
                    do {
                        try Shamir.splitBatch(s, secretLength: 32, threshold: 3, xs: xs, into: r, using: &rng)
                    } catch { preconditionFailure("\(error)") }
                }
            }
            rows.withUnsafeBytes { r in
                out.withUnsafeMutableBytes { o in
                    do {
                        let first3 = UnsafeRawBufferPointer(rebasing: r[0..<(3 * 1000 * 32)])
                        try Shamir.combineBatch(xs: picked, rows: first3, secretLength: 32, into: o)
                    } catch { preconditionFailure("\(error)") }
                }
            }
        }
        benchmark.stopMeasurement()
        let ok = secrets.withUnsafeBytes { s in out.withUnsafeBytes { Sodium.constantTimeEquals(s, $0) } }
        precondition(ok, "combineBatch gave the wrong secrets")
    }
}
