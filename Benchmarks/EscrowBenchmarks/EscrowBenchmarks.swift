import Benchmark
import Escrow
import Foundation
import Sodium
import StoreScenario

/// Store v2 at scale (10,000 vaults × 3 credentials, 3 of 5; about 100,000 events), through the public API.
/// Identities are in memory: no Argon2id. The store is built once per process, before any measurement.
///
/// - `open`: cold `Ledger.open` (read, decode, canonical check, BLAKE2b id, Ed25519, graph, fold);
/// - `deposit`: one deposit made and appended (one fsync'ed file);
/// - `approve`/`execute` of one bulk re-split over every vault (bob leaves, frank joins).
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident]
    let vaults = Int(ProcessInfo.processInfo.environment["ESCROW_BENCH_VAULTS"] ?? "") ?? 10_000
    let heavy = Benchmark.Configuration(
        metrics: metrics,
        warmupIterations: 0,
        maxDuration: .seconds(120),
        maxIterations: 3
    )
    let store = Lazy { () throws -> StoreScenario in
        let path = NSTemporaryDirectory() + "escrow-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return try StoreScenario(vaults: vaults, credentials: 3, directory: path + "/store")
    }

    Benchmark("open \(vaults) vaults (cold, whole log)", configuration: heavy) { benchmark in
        let scenario = try store.value()
        benchmark.startMeasurement()
        let ledger = try Ledger.open(at: scenario.directory)
        benchmark.stopMeasurement()
        precondition(ledger.state.vaults.count == vaults, "every vault folded")
        blackHole(ledger)
    }

    Benchmark("deposit (make + append)", configuration: .init(metrics: metrics, maxIterations: 50)) { benchmark in
        let scenario = try store.value()
        benchmark.startMeasurement()
        try scenario.ledger.append([try scenario.deposit(vault: 0, credential: 2)])
        benchmark.stopMeasurement()
    }

    Benchmark("bulk re-split \(vaults) vaults: approve + execute", configuration: heavy) { benchmark in
        let scenario = try store.value()
        let leaving =
            scenario.ledger.state.vaults.values.first?.policy.custodians.contains { $0.name == "bob" } ?? false
        let request = try scenario.bulkResplit(remove: leaving ? "bob" : "frank", add: leaving ? "frank" : "bob")
        benchmark.startMeasurement()
        for name in ["alice", "carol", "dave"] {
            try scenario.ledger.append([
                try scenario.ledger.approve(
                    request,
                    by: scenario.person(name),
                    at: scenario.now(),
                    random: &scenario.random
                )
            ])
        }
        try scenario.ledger.append([
            try scenario.ledger.execute(
                request,
                by: scenario.person("alice"),
                at: scenario.now()
            )
        ])
        benchmark.stopMeasurement()
    }
}

/// A value computed once, on first use.
final class Lazy<Value>: @unchecked Sendable {
    private let make: () throws -> Value
    private var cached: Value?
    private let lock = NSLock()

    init(_ make: @escaping () throws -> Value) { self.make = make }

    func value() throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let made = try make()
        cached = made
        return made
    }
}
