import Escrow
import Foundation
import Shamir
import Sodium
import StoreScenario

/// `STORE_PROFILE_WRITE_PARTS=1`: the parts of a batch rotation of `count` deposits, each `runs` times (medians):
/// the dealing alone on every core and one by one, `depositBatch` (checks + dealing + event + fold trial) and the
/// append (files, fsyncs, fold), and the peak RSS while the batches are made and appended (the high-water mark is
/// reset first through /proc/self/clear_refs, so the store's own build does not count).
func profileWriteParts(_ scenario: StoreScenario, count: Int, runs: Int) throws {
    func line(_ label: String, _ walls: [Double], _ cpus: [Double], per: Int) {
        let wall = Measure.median(walls)
        let cpu = Measure.median(cpus)
        print(
            String(
                format: "%-44@ wall %7.3f s, cpu %7.3f s = %6.0f/s wall, %6.0f/s cpu (%.3f ms cpu each)",
                label as NSString,
                wall,
                cpu,
                Double(per) / wall,
                Double(per) / cpu,
                cpu * 1e3 / Double(per)
            )
        )
    }
    let vault = try scenario.ledger.vault(named: StoreScenario.vaultName(0))
    var holders: [DealHolder] = []
    for custodian in vault.policy.custodians {
        guard let member = scenario.ledger.state.members[custodian.key.bytes] else { return }
        holders.append(DealHolder(x: custodian.x, boxPublicKey: try member.identity.boxPublicKey()))
    }
    let recipients = try DealRecipients(threshold: vault.policy.threshold, holders: holders)
    let jobs = try (0..<count).map { index in
        DealJob(
            value: SecureBytes(copying: Array("value-\(index)".utf8)),
            binding: try VersionBinding(
                storeID: scenario.ledger.state.storeID,
                vaultID: vault.id,
                vaultName: vault.reference.name,
                entry: "credential-1",
                versionID: Sodium.randomBytes(16),
                kind: "password"
            ),
            generation: vault.generation,
            recipients: recipients
        )
    }
    var walls: [Double] = []
    var cpus: [Double] = []
    for _ in 0..<runs {
        walls.append(
            try Measure.seconds { for result in Dealer.deal(jobs, using: &scenario.random) { _ = try result.get() } }
        )
        cpus.append(Measure.lastCPU)
    }
    line("dealing alone, every core (Dealer.deal(_:))", walls, cpus, per: count)
    walls = []
    cpus = []
    for _ in 0..<runs {
        walls.append(
            try Measure.seconds {
                for job in jobs {
                    _ = try Dealer.deal(
                        value: job.value,
                        binding: job.binding,
                        generation: job.generation,
                        threshold: recipients.threshold,
                        holders: recipients.holders,
                        using: &scenario.random
                    )
                }
            }
        )
        cpus.append(Measure.lastCPU)
    }
    line("dealing alone, one by one (one core)", walls, cpus, per: count)

    let resetPeak = (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    let before = Measure.peakResidentMB
    var makeWalls: [Double] = []
    var makeCPUs: [Double] = []
    var appendWalls: [Double] = []
    var appendCPUs: [Double] = []
    for _ in 0..<runs {
        let items = scenario.batchDeposits(vaults: 0..<count, credential: 1)
        var events: [Event] = []
        makeWalls.append(
            try Measure.seconds {
                events = try scenario.ledger.depositBatch(
                    items,
                    by: scenario.person("alice"),
                    at: scenario.now(),
                    random: &scenario.random
                )
            }
        )
        makeCPUs.append(Measure.lastCPU)
        appendWalls.append(try Measure.seconds { try scenario.ledger.append(events) })
        appendCPUs.append(Measure.lastCPU)
    }
    line("depositBatch (checks, dealing, event, trial)", makeWalls, makeCPUs, per: count)
    line("append (write, fsync, fold)", appendWalls, appendCPUs, per: count)
    line(
        "batch rotation (both)",
        zip(makeWalls, appendWalls).map { $0 + $1 },
        zip(makeCPUs, appendCPUs).map { $0 + $1 },
        per: count
    )
    print(
        String(
            format: "peak RSS: %.1f MB before the batches%@, %.1f MB after",
            before,
            resetPeak ? " (high-water mark reset)" : " (high-water mark NOT reset: includes the build)",
            Measure.peakResidentMB
        )
    )
}
