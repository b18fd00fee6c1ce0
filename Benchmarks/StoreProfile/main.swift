// swift-format-ignore-file: NeverForceUnwrap, NeverUseImplicitlyUnwrappedOptionals
// (a measuring script: every optional is set by the timed closure just before it is read)

import Escrow
import Foundation
import Sodium
import StoreScenario

// Plain release profile of the store v2 targets: `swift run -c release StoreProfile [vaults] [credentials] [runs]`.
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let vaults = arguments.first ?? 1_000
let credentials = arguments.dropFirst().first ?? 3
let runs = arguments.dropFirst(2).first ?? 3
let root = NSTemporaryDirectory() + "escrow-profile-\(getpid())"
try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: root) }

nonisolated(unsafe) var cpu: [String: [Double]] = [:]
func timed(_ label: String, _ body: () throws -> Void) rethrows -> Double {
    let seconds = try Measure.seconds(body)
    cpu[label, default: []].append(Measure.lastCPU)
    return seconds
}
func report(_ label: String, _ values: [Double], target: String = "") {
    let text = values.map { String(format: "%.3f", $0) }.joined(separator: " ")
    print(
        String(
            format: "%-48@ wall median %8.4f s, cpu median %8.4f s [%@] %@",
            label as NSString,
            Measure.median(values),
            Measure.median(cpu[label] ?? []),
            text,
            target
        )
    )
}

// STORE_PROFILE_SAVED=DIR: build the store once and keep it in DIR; later runs with the same DIR work on a copy of it
// (pass the same vault and credential counts as when it was saved).
let saved = ProcessInfo.processInfo.environment["STORE_PROFILE_SAVED"]
var scenario: StoreScenario!
let build = try Measure.seconds {
    if let saved, FileManager.default.fileExists(atPath: saved + "/clock") {
        scenario = try StoreScenario(copying: saved, to: root + "/store")
        guard scenario.ledger.state.vaults.count == vaults else {
            fatalError("\(saved) holds \(scenario.ledger.state.vaults.count) vaults, not \(vaults)")
        }
    } else {
        scenario = try StoreScenario(vaults: vaults, credentials: credentials, directory: root + "/store")
        if let saved { try scenario.save(to: saved) }
    }
}
print(
    "store: \(vaults) vaults × \(credentials) credentials, \(scenario.ledger.graph.count) events, built in "
        + String(format: "%.1f s", build)
)
let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
print("load: \(load)")

// STORE_PROFILE_EXPORT=DIR: a copy of the store in DIR/store with the six people's identity files (DIR/NAME.id, sealed
// with the test `minimal` Argon2id profile: ESCROW_ALLOW_TEST_PROFILE=1) and passphrases (DIR/NAME.pass), for timing
// the `escrow` binary on it (Benchmarks/bulk-reshare-cli.sh), then stop.
if let export = ProcessInfo.processInfo.environment["STORE_PROFILE_EXPORT"] {
    try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: root + "/store", toPath: export + "/store")
    for name in StoreScenario.custodians + ["frank"] {
        let passphrase = "correct horse battery staple \(name)"
        let file = try IdentityFile.seal(
            scenario.person(name),
            passphrase: SecureBytes(copying: Array(passphrase.utf8)),
            limits: KeyDerivationProfile.minimal.limits,
            createdAt: scenario.now()
        )
        let owner: [FileAttributeKey: Any] = [.posixPermissions: 0o600]
        _ = FileManager.default.createFile(
            atPath: export + "/\(name).id",
            contents: Data(try file.encoded()),
            attributes: owner
        )
        _ = FileManager.default.createFile(
            atPath: export + "/\(name).pass",
            contents: Data((passphrase + "\n").utf8),
            attributes: owner
        )
    }
    print("exported to \(export): store/, NAME.id and NAME.pass of \(StoreScenario.custodians + ["frank"])")
    exit(0)
}

// STORE_PROFILE_WRITE_PARTS=1: the parts of a batch rotation (see WritePathProfile.swift), then stop.
if ProcessInfo.processInfo.environment["STORE_PROFILE_WRITE_PARTS"] != nil {
    try profileWriteParts(scenario, count: min(1_000, vaults), runs: runs)
    exit(0)
}

// STORE_PROFILE_WARM=1: the warm cache and sync only (WarmProfile.swift).
if ProcessInfo.processInfo.environment["STORE_PROFILE_WARM"] != nil {
    try profileWarm(scenario, runs: runs)
    print(String(format: "events: %d; peak RSS %.0f MB", scenario.ledger.graph.count, Measure.peakResidentMB))
    exit(0)
}

// STORE_PROFILE_RESHARE_ONLY=1: straight to the bulk re-splits; the consolidation (frank's bulk approval of the second
// re-split) is made `runs` times (the last one appended).
let reshareOnly = ProcessInfo.processInfo.environment["STORE_PROFILE_RESHARE_ONLY"] != nil

if !reshareOnly {
report(
    "cold open (read+decode+verify+graph+fold)",
    try (0..<runs).map { _ in try timed("cold open (read+decode+verify+graph+fold)") { try scenario.reopen() } },
    target: "≤ 10 s"
)
var reads: [Double] = []
var events: [Event] = []
for _ in 0..<runs {
    reads.append(
        try timed("  read + decode + verify only") {
            events = try StoreDirectory.open(at: root + "/store").readEvents()
        }
    )
}
report("  read + decode + verify only", reads)
report("  graph only", try (0..<runs).map { _ in try timed("  graph only") { _ = try EventGraph(events: events) } })
let graph = try EventGraph(events: events)
report("  fold only", (0..<runs).map { _ in timed("  fold only") { _ = Fold.run(graph) } })

// STORE_PROFILE_COLD_ONLY=1: stop after the cold open and its parts.
if ProcessInfo.processInfo.environment["STORE_PROFILE_COLD_ONLY"] != nil { exit(0) }

// Single deposits, one event each (make + append, fsync'ed).
var deposits: [Double] = []
for index in 0..<max(20, runs) {
    deposits.append(
        try timed("deposit (make + append)") {
            try scenario.ledger.append([try scenario.deposit(vault: index % vaults, credential: 0)])
        }
    )
}
report("deposit (make + append)", deposits, target: "≤ 5 ms")
let rotationCount = min(1_000, vaults)
let rotation = try timed("rotation") {
    for index in 0..<rotationCount {
        try scenario.ledger.append([try scenario.deposit(vault: index, credential: 1)])
    }
}
print(
    String(
        format: "bulk rotation, %d deposits one by one: %.2f s (cpu %.2f s) = %.0f deposits/s (target ≥ 1,000/s)",
        rotationCount,
        rotation,
        cpu["rotation"]!.last!,
        Double(rotationCount) / rotation
    )
)

// The same rotation as deposit.batch events (one signature and one fsync'ed file per 1,000 deposits).
var batchRotations: [Double] = []
for _ in 0..<runs {
    // New versions of an existing entry (each vault keeps `credentials` entries: the opens below count them).
    let items = scenario.batchDeposits(vaults: 0..<rotationCount, credential: min(1, credentials - 1))
    batchRotations.append(
        try timed("rotation (deposit.batch)") {
            try scenario.ledger.append(
                try scenario.ledger.depositBatch(
                    items,
                    by: scenario.person("alice"),
                    at: scenario.now(),
                    random: &scenario.random
                )
            )
        }
    )
}
print(
    String(
        format: "bulk rotation, %d deposits as deposit.batch: median %.3f s (cpu %.3f s) = %.0f deposits/s "
            + "(target ≥ 1,000/s) [%@]",
        rotationCount,
        Measure.median(batchRotations),
        Measure.median(cpu["rotation (deposit.batch)"] ?? []),
        Double(rotationCount) / Measure.median(batchRotations),
        batchRotations.map { String(format: "%.3f", $0) }.joined(separator: " ")
    )
)

// STORE_PROFILE_WRITES_ONLY=1: stop after the write path (cold open, deposits, rotations).
if ProcessInfo.processInfo.environment["STORE_PROFILE_WRITES_ONLY"] != nil { exit(0) }

// Single-vault open: request, three approvals, open.
var requestTimes: [Double] = []
var approveTimes: [Double] = []
var openTimes: [Double] = []
for index in 0..<runs {
    var request: (EventID, BoxKeyPair)!
    requestTimes.append(
        try timed("single-vault request (make + append)") {
            request = try scenario.openRequest(vault: index, by: "alice")
        }
    )
    for name in ["bob", "carol", "dave"] {
        approveTimes.append(
            try timed("single-vault approve (make + append)") {
                try scenario.ledger.append([
                    try scenario.ledger.approve(
                        request.0,
                        by: scenario.person(name),
                        at: scenario.now(),
                        random: &scenario.random
                    )
                ])
            }
        )
    }
    openTimes.append(
        try timed("single-vault open (rebuild + append)") {
            let (opened, event) = try scenario.ledger.open(
                request.0,
                requestKeys: request.1,
                by: scenario.person("alice"),
                at: scenario.now()
            )
            precondition(opened.count == credentials)
            try scenario.ledger.append([event])
        }
    )
}
report("single-vault request (make + append)", requestTimes, target: "≤ 150 ms")
report("single-vault approve (make + append)", approveTimes, target: "≤ 150 ms")
report("single-vault open (rebuild + append)", openTimes, target: "≤ 150 ms")

}

// The peak resident set of each bulk phase (the process's own peak is kept across the resets).
nonisolated(unsafe) var processPeak = 0.0
nonisolated(unsafe) var phaseStartMB = 0.0
func startPhasePeak() {
    processPeak = max(processPeak, Measure.peakResidentMB)
    Measure.resetPeakResident()
    phaseStartMB = Measure.residentMB
}
/// `peak RSS <peak> MB (+<growth> MB)`: the peak since ``startPhasePeak()`` and how far above the resident set at
/// its start.
func phasePeak() -> String {
    let peak = Measure.peakResidentMB
    return String(format: "peak RSS %.0f MB (+%.0f MB)", peak, peak - phaseStartMB)
}

// Bulk re-split: bob leaves, frank joins.
var resplit: EventID!
print(
    String(
        format: "bulk re-split request over %d vaults: %.2f s",
        vaults,
        try Measure.seconds { resplit = try scenario.bulkResplit(remove: "bob", add: "frank") }
    )
)
for name in ["alice", "carol", "dave"] {
    var approval: Event!
    startPhasePeak()
    let make = try timed("approve") {
        approval = try scenario.ledger.approve(
            resplit,
            by: scenario.person(name),
            at: scenario.now(),
            random: &scenario.random
        )
    }
    let append = try Measure.seconds { try scenario.ledger.append([approval]) }
    print(
        String(
            format: "bulk approve (%@): make %.2f s (cpu %.2f s) + append %.2f s, %.1f MB event, %@ (target ≤ 3 s)",
            name,
            make,
            cpu["approve"]!.last!,
            append,
            Double(approval.bytes.count) / 1e6,
            phasePeak()
        )
    )
}
var execution: Event!
startPhasePeak()
let executeMake = try timed("execute") {
    execution = try scenario.ledger.execute(resplit, by: scenario.person("alice"), at: scenario.now())
}
let executeAppend = try timed("execute append") { try scenario.ledger.append([execution]) }
print(
    String(
        format: "bulk execute: make %.2f s (cpu %.2f) + append %.2f s (cpu %.2f), %@ (target ≤ 3 s)",
        executeMake,
        cpu["execute"]!.last!,
        executeAppend,
        cpu["execute append"]!.last!,
        phasePeak()
    )
)
precondition(scenario.ledger.state.vaults.values.allSatisfy { $0.generation == 2 })

// frank (new) approves an open of one vault: opens his sub-shares from three contributors.
var frankApprove: [Double] = []
var frankOpen: [Double] = []
for index in 0..<(reshareOnly ? 0 : runs) {
    let (request, keys) = try scenario.openRequest(vault: vaults - 1 - index, by: "alice")
    for name in ["frank", "carol", "dave"] {
        let seconds = try timed(name == "frank" ? "new custodian's approve of a one-vault open" : "other") {
            try scenario.ledger.append([
                try scenario.ledger.approve(
                    request,
                    by: scenario.person(name),
                    at: scenario.now(),
                    random: &scenario.random
                )
            ])
        }
        if name == "frank" { frankApprove.append(seconds) }
    }
    frankOpen.append(
        try timed("open after the re-split (levels)") {
            let (opened, event) = try scenario.ledger.open(
                request,
                requestKeys: keys,
                by: scenario.person("alice"),
                at: scenario.now()
            )
            precondition(opened.count == credentials)
            try scenario.ledger.append([event])
        }
    )
}
if !reshareOnly {
    report("new custodian's approve of a one-vault open", frankApprove, target: "≤ 3 s (≤ 150 ms single vault)")
    report("open after the re-split (levels)", frankOpen, target: "≤ 150 ms")
}

// frank consolidates: a second bulk re-split (erin leaves, bob back), frank's approval opens every sub-share.
var second: EventID!
_ = try Measure.seconds { second = try scenario.bulkResplit(remove: "erin", add: "bob") }
var frankBulk: Event!
var consolidationError: (any Error)?
var frankBulkTimes: [Double] = []
for _ in 1..<(reshareOnly ? runs : 1) {
    frankBulk = nil
    startPhasePeak()
    let seconds = timed("frank bulk") {
        frankBulk = try? scenario.ledger.approve(
            second,
            by: scenario.person("frank"),
            at: scenario.now(),
            random: &scenario.random
        )
    }
    frankBulkTimes.append(seconds)
    print(
        String(
            format: "  consolidation (not appended): %.2f s, cpu %.2f s, %@",
            seconds,
            cpu["frank bulk"]!.last!,
            phasePeak()
        )
    )
}
frankBulk = nil
startPhasePeak()
let frankBulkSeconds = timed("frank bulk") {
    do {
        frankBulk = try scenario.ledger.approve(
            second,
            by: scenario.person("frank"),
            at: scenario.now(),
            random: &scenario.random
        )
    } catch {
        consolidationError = error
    }
}
if let consolidationError {
    print(
        String(
            format: "new custodian's bulk approval (consolidation): refused after %.2f s: %@",
            frankBulkSeconds,
            "\(consolidationError)"
        )
    )
} else {
    print(
        String(
            format: "new custodian's bulk approval (consolidation): %.2f s, cpu %.2f s, %.1f MB event, %@ "
                + "(target ≤ 3 s)",
            frankBulkSeconds,
            cpu["frank bulk"]!.last!,
            Double(frankBulk.bytes.count) / 1e6,
            phasePeak()
        )
    )
    try scenario.ledger.append([frankBulk])
    frankBulkTimes.append(frankBulkSeconds)
    if reshareOnly { report("frank bulk", frankBulkTimes, target: "≤ 3 s") }
}
if reshareOnly { exit(0) }
report(
    "cold open after the re-splits",
    try (0..<runs).map { _ in try timed("cold open after the re-splits") { try scenario.reopen() } },
    target: "≤ 10 s"
)
print(
    String(
        format: "events: %d; peak RSS %.0f MB",
        scenario.ledger.graph.count,
        max(processPeak, Measure.peakResidentMB)
    )
)
