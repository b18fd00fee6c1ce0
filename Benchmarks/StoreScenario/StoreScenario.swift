import Dispatch
import Escrow
import Foundation
import Shamir
import Sodium

/// A v2 store at scale, built through the public API: `vaults` vaults of 3 of 5 (alice, bob, carol, dave, erin),
/// each with `credentials` deposits, every custody acknowledged; frank is a custodian outside every policy.
///
/// Events of one phase are made against the same folded state, then re-signed into one chain (each event's parent is
/// the previous one) and appended as one batch, so building 100,000 events costs two signatures per event.
package final class StoreScenario {
    package let directory: String
    package internal(set) var ledger: Ledger
    package let people: [String: CustodianIdentity]
    package var random: StreamRandom
    private var seconds: Int64 = 1_780_000_000

    package static let custodians = ["alice", "bob", "carol", "dave", "erin"]

    package init(vaults: Int, credentials: Int, directory: String) throws {
        try Sodium.initialize()
        self.directory = directory
        random = StreamRandom()
        people = try Self.benchmarkPeople()
        ledger = try Ledger.create(
            at: directory,
            founder: try Self.identity(people, "alice"),
            storeName: "bench",
            rosterQuorum: 1,
            time: UTCTime(secondsSinceEpoch: seconds)
        )
        for name in Self.custodians.dropFirst() + ["frank"] {
            var change = try ledger.rosterChange(
                add: [MemberRecord(person(name).publicIdentity, role: .custodian)],
                remove: [],
                quorum: nil
            )
            let endorsers = ledger.state.custodians.prefix(ledger.rosterEndorsementsNeeded)
            change.approvals = try endorsers.map { try ledger.endorse(change, by: person($0.identity.name)) }
            try ledger.append([try ledger.event(.roster, body: change, by: person("alice"), at: now())])
        }
        var creates: [Event] = []
        for index in 0..<vaults {
            creates.append(
                try ledger.createVault(
                    named: Self.vaultName(index),
                    metadata: ["account_id": "\(100_000_000_000 + index)"],
                    threshold: 3,
                    custodians: Self.custodians,
                    by: person("alice"),
                    at: now()
                )
            )
        }
        try appendChained(creates)
        var acknowledgements: [Event] = []
        for create in ledger.state.vaults.values.map(\.created).sorted() {
            for name in Self.custodians {
                acknowledgements.append(try ledger.acknowledgeCustody(of: create, by: person(name), at: now()))
            }
        }
        try appendChained(acknowledgements)
        var deposits: [Event] = []
        for index in 0..<vaults {
            for credential in 0..<credentials {
                deposits.append(try deposit(vault: index, credential: credential))
            }
        }
        try appendChained(deposits)
    }

    /// Opens a store built earlier by ``init(vaults:credentials:directory:)`` and kept with ``save(to:)``:
    /// building 10,000 vaults takes many minutes, and the measured phases only need the built store.
    ///
    /// - Parameters:
    ///   - saved: The directory ``save(to:)`` wrote.
    ///   - directory: Where to put the working copy (the phases change it; the saved copy stays as it is).
    /// - Throws: An I/O error, or the store's refusal to open.
    package init(copying saved: String, to directory: String) throws {
        try Sodium.initialize()
        let clock = try String(contentsOfFile: saved + "/clock", encoding: .utf8)
        guard let seconds = Int64(clock.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw EscrowError(.malformedFile, "\(saved)/clock holds no time")
        }
        try FileManager.default.copyItem(atPath: saved + "/store", toPath: directory)
        self.directory = directory
        self.seconds = seconds
        random = StreamRandom()
        people = try Self.benchmarkPeople()
        ledger = try Ledger.open(at: directory)
    }

    /// Keeps the store as built (and the scenario's clock) for ``init(copying:to:)``.
    package func save(to saved: String) throws {
        try FileManager.default.createDirectory(atPath: saved, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory, toPath: saved + "/store")
        try "\(seconds)\n".write(toFile: saved + "/clock", atomically: true, encoding: .utf8)
    }

    /// The six people, with signing keys derived from their names: a saved store must be reopened by the same
    /// identities. Benchmark keys only, public by construction.
    private static func benchmarkPeople() throws -> [String: CustodianIdentity] {
        var people: [String: CustodianIdentity] = [:]
        for name in Self.custodians + ["frank"] {
            let seed = SecureBytes(
                copying: GenericHash.hash(Array("escrow-benchmark-identity-\(name)".utf8), count: 32)
            )
            people[name] = try CustodianIdentity(
                name: name,
                email: "\(name)@example.com",
                keyPair: try SigningKeyPair(seed: seed)
            )
        }
        return people
    }

    package static func vaultName(_ index: Int) -> String { "acct-\(String(index + 100_000).dropFirst())" }

    package func person(_ name: String) -> CustodianIdentity {
        guard let person = people[name] else { preconditionFailure("no identity \(name)") }
        return person
    }

    private static func identity(_ people: [String: CustodianIdentity], _ name: String) throws -> CustodianIdentity {
        guard let person = people[name] else { throw EscrowError(.notFound, "no identity \(name)") }
        return person
    }

    package func now() -> UTCTime {
        seconds += 1
        return UTCTime(secondsSinceEpoch: seconds)
    }

    package func reopen() throws { ledger = try Ledger.open(at: directory) }

    /// A deposit event of a fresh value (not appended).
    package func deposit(vault: Int, credential: Int, by name: String = "alice") throws -> Event {
        let value = SecureBytes(copying: Array("value-\(vault)-\(credential)-\(seconds)".utf8))
        return try ledger.deposit(
            value,
            into: Self.vaultName(vault),
            entry: "credential-\(credential)",
            kind: .password,
            by: person(name),
            at: now(),
            random: &random
        )
    }

    /// One fresh value for `credential` of each vault in `vaults`, to deposit as one batch.
    package func batchDeposits(vaults: Range<Int>, credential: Int) -> [Ledger.BatchDeposit] {
        vaults.map { vault in
            Ledger.BatchDeposit(
                value: SecureBytes(copying: Array("batch-\(vault)-\(credential)-\(seconds)".utf8)),
                vault: Self.vaultName(vault),
                entry: "credential-\(credential)",
                kind: .password
            )
        }
    }

    /// Re-signs events made against one state into a chain and appends them as one batch.
    package func appendChained(_ events: [Event]) throws {
        guard !events.isEmpty else { return }
        var parents = ledger.graph.heads
        var latest = ledger.state.latestByAuthor
        var chained: [Event] = []
        chained.reserveCapacity(events.count)
        for event in events {
            guard let author = people.values.first(where: { $0.publicIdentity.signingKey == event.author.key }) else {
                throw EscrowError(.notFound, "no identity for \(event.author.name)")
            }
            let remade = try Event.make(
                store: event.store,
                type: event.type,
                author: author,
                parents: parents,
                previous: latest[event.author.key],
                time: event.time,
                body: event.body
            )
            chained.append(remade)
            parents = [remade.id]
            latest[event.author.key] = remade.id
        }
        try ledger.append(chained)
    }

    /// A bulk re-split request over every vault: `remove` leaves, `add` joins (acknowledged).
    package func bulkResplit(remove: String, add: String) throws -> EventID {
        let names = ledger.state.vaults.values.map(\.reference.name).sorted()
        let targets = try names.map {
            try ledger.resplitTarget(vault: $0, remove: [remove], add: [add], threshold: nil)
        }
        let request = try ledger.request(
            .resplit,
            targets: targets,
            recipient: nil,
            reason: "\(remove) leaves",
            expiresAt: UTCTime(secondsSinceEpoch: seconds + 86_400),
            by: person("alice"),
            at: now()
        )
        try ledger.append([request])
        try ledger.append([try ledger.acknowledgeCustody(of: request.id, by: person(add), at: now())])
        return request.id
    }

    /// An open request of every entry of one vault, with its key pair.
    package func openRequest(vault: Int, by name: String) throws -> (EventID, BoxKeyPair) {
        let keys = BoxKeyPair()
        let vaultName = Self.vaultName(vault)
        let entries = try ledger.vault(named: vaultName).entries.keys.sorted()
        let request = try ledger.request(
            .open,
            targets: [try ledger.versionsTarget(vault: vaultName, entries: entries)],
            recipient: RequestRecipient(name: "\(name) (request key)", key: keys.publicKey),
            reason: "audit",
            expiresAt: UTCTime(secondsSinceEpoch: seconds + 86_400),
            by: person(name),
            at: now()
        )
        try ledger.append([request])
        return (request.id, keys)
    }
}

/// Wall clock, CPU time and peak RSS.
package enum Measure {
    package static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpu = cpuSeconds
        try body()
        lastCPU = cpuSeconds - cpu
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The process CPU time (user + system, every thread) of the last ``seconds(_:)``.
    nonisolated(unsafe) package static var lastCPU: Double = 0

    /// The process CPU time so far (user + system, every thread).
    package static var cpuSeconds: Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Resets the peak resident set (VmHWM) to the current one (Linux: `5` to `/proc/self/clear_refs`), so that
    /// ``peakResidentMB`` is the peak of what follows; `false` where that is not possible.
    @discardableResult
    package static func resetPeakResident() -> Bool {
        guard let file = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? file.close() }
        return (try? file.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Resident set (VmRSS) in MB.
    package static var residentMB: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kB = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kB * 1024 / 1e6
    }

    /// Peak resident set (VmHWM) in MB.
    package static var peakResidentMB: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        let kB = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kB * 1024 / 1e6
    }

    package static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
