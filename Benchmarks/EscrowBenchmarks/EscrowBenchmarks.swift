import Benchmark
import Escrow
import Shamir
import Sodium

/// Bulk re-split (issue: a custodian leaves, every vault is re-split): library level, 1,000 and 10,000 vaults of
/// 3 of 5, each run replacing one custodian (3 of 5 → 3 of 5). Identities are in memory: no Argon2id anywhere.
///
/// - `approve`: one custodian's approval of the whole batch (one X25519 per distinct envelope key, one with the
///   request key, one AEAD per share) — after a bulk re-split (one envelope key for every vault) and right after the
///   vaults' own key ceremonies (one envelope key per vault);
/// - `execute`: `unlock open` of the batch with three approvals (evaluation, decryption, combineBatch, key checks,
///   splitBatch, envelopes, signatures, ONE batch commit); the request and approvals are made before the clock starts;
/// - `end to end`: request + three approvals (encoded and decoded as files) + execution;
/// - `naive`: the same re-split vault by vault with the single-vault protocol: one X25519 per share and one fsync'ed
///   commit per vault;
/// - what bounds them: the X25519 key checks alone (one base-point multiplication per vault), reading and verifying
///   every vault file, and the batch commit alone.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident]
    Benchmark.defaultConfiguration.warmupIterations = 0

    for count in [1_000, 10_000] {
        let label = count == 1_000 ? "1k" : "10k"
        let heavy = Benchmark.Configuration(
            metrics: metrics,
            warmupIterations: 0,
            maxDuration: .seconds(count == 1_000 ? 20 : 60),
            maxIterations: count == 1_000 ? 10 : 3
        )
        let warm = Lazy { () throws -> BulkStore in
            let store = try BulkStore(count: count)
            let request = try store.request()
            // After one bulk re-split, every vault shares one envelope key.
            _ = try store.execute(request, try store.approvals(request))
            return store
        }
        let cold = Lazy { try BulkStore(count: count) }

        Benchmark("bulk approve \(label) vaults, one custodian (after a bulk re-split)", configuration: heavy) {
            benchmark in
            let store = try warm.value()
            let request = try store.request()
            benchmark.startMeasurement()
            let batch = try store.store.approveBatch(request, by: store.person("carol"))
            benchmark.stopMeasurement()
            precondition(batch.approval.shares.count == count && batch.envelopeAgreements == 1, "one share per vault")
            blackHole(batch)
        }

        Benchmark("bulk approve \(label) vaults, one custodian (vaults fresh from ceremonies)", configuration: heavy) {
            benchmark in
            let store = try cold.value()
            let request = try store.request()
            benchmark.startMeasurement()
            let batch = try store.store.approveBatch(request, by: store.person("carol"))
            benchmark.stopMeasurement()
            precondition(batch.approval.shares.count == count && batch.envelopeAgreements == count, "one key per vault")
            blackHole(batch)
        }

        Benchmark("bulk execute \(label) vaults (3 approvals, one commit)", configuration: heavy) { benchmark in
            let store = try warm.value()
            let request = try store.request()
            let approvals = try store.approvals(request)
            benchmark.startMeasurement()
            let outcome = try store.execute(request, approvals)
            benchmark.stopMeasurement()
            blackHole(outcome)
        }

        Benchmark("bulk end to end \(label) vaults (request, 3 approvals as files, execute)", configuration: heavy) {
            benchmark in
            let store = try warm.value()
            benchmark.startMeasurement()
            let made = try store.request()
            let request = try UnlockRequest.decode(try made.encoded(), source: "request")
            let approvals = try BulkStore.approvers.map { name in
                let approval = try store.store.approve(request, by: store.person(name))
                return try ApprovalFile(decoding: try approval.encoded(), source: "\(name).approval")
            }
            let outcome = try store.execute(request, approvals)
            benchmark.stopMeasurement()
            blackHole(outcome)
        }

        Benchmark(
            "naive per-vault end to end \(label) vaults (X25519 per share, one commit per vault)",
            configuration: .init(
                metrics: metrics,
                warmupIterations: 0,
                maxDuration: .seconds(count == 1_000 ? 30 : 60),
                maxIterations: count == 1_000 ? 5 : 1
            )
        ) { benchmark in
            let store = try warm.value()
            benchmark.startMeasurement()
            try store.naiveReshareOneByOne()
            benchmark.stopMeasurement()
        }

        // MARK: What bounds them

        Benchmark("key checks alone \(label) (one X25519 base-point multiplication per vault)", configuration: heavy) {
            benchmark in
            let keys = SecureBytes.random(count: count * MasterKey.byteCount)
            let publicKeys = try (0..<count).map { index in
                try keys.withUnsafeBytes { all in
                    try BoxKeyPair.publicKey(
                        forSecretKey: UnsafeRawBufferPointer(rebasing: all[(index * 32)..<((index + 1) * 32)])
                    )
                }
            }
            benchmark.startMeasurement()
            let matches = MasterKey.publicKeysMatch(keys, publicKeys: publicKeys)
            benchmark.stopMeasurement()
            precondition(matches.allSatisfy { $0 }, "every key matches")
        }

        Benchmark("read and verify \(label) vault files", configuration: heavy) { benchmark in
            let store = try warm.value()
            benchmark.startMeasurement()
            let vaults = try store.store.vaults()
            benchmark.stopMeasurement()
            precondition(vaults.count == count, "every vault read")
        }

        for durability in [BatchDurability.fileSystem, .eachFile] {
            Benchmark(
                "batch commit alone \(label) vault files (\(durability == .fileSystem ? "one syncfs" : "fsync each"))",
                configuration: heavy
            ) { benchmark in
                let store = try warm.value()
                let alice = store.person("alice")
                let changes = try store.store.vaults().map { vault in
                    AuditedChange(
                        [FileChange(path: Vault.relativePath(name: vault.name), contents: try vault.encoded())],
                        action: "bench.rewrite",
                        vault: vault.reference,
                        reason: nil,
                        details: [:]
                    )
                }
                store.store.batchDurability = durability
                defer { store.store.batchDurability = .automatic }
                benchmark.startMeasurement()
                let records = try store.store.withLock { (session) throws(EscrowError) in
                    try session.commitBatch(changes, actor: alice)
                }
                benchmark.stopMeasurement()
                precondition(records.count == count, "one record per file")
            }
        }
    }
}

/// A value built on first use and then shared by several benchmarks (a store of 10,000 vaults takes seconds).
final class Lazy<Value>: @unchecked Sendable {
    private let make: () throws -> Value
    private var made: Value?

    init(_ make: @escaping () throws -> Value) { self.make = make }

    func value() throws -> Value {
        if let made { return made }
        let value = try make()
        made = value
        return value
    }
}
