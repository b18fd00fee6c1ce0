import Dispatch
import Shamir
import Sodium

/// A re-split approver's contributions for many versions, in guarded arenas on every core: the bulk form of
/// ``ReshareAction``'s per-version contribution (open, prepare, sub-share, seal), with the same results.
///
/// Per batch of versions:
/// 1. on every core, each worker reads where its versions' components were published, opens and digest-checks them,
///    applies the plan's consolidations and makes the checks before a split, in one ``SecureArena`` of its own
///    (instead of one `sodium_malloc` per value);
/// 2. on the calling thread, in version order, the first failure of phase 1 is reported, the coefficients of every
///    sub-sharing are drawn from the caller's ``Shamir/RandomSource`` (the same bytes, in the same order, as
///    sub-sharing one version after another) and the sealer's key for every new custodian is derived (once per vault);
/// 3. on every core, each worker sub-shares and seals its versions in a scratch arena wiped after each version.
///
/// Every secret lives in arena slots, wiped when the batch's arenas are reset. A failure is reported for the same
/// version, with the same message, as the one-by-one path: an opening failure of the batch first, then the first
/// version in order whose preparation, sub-sharing or sealing fails.
struct ReshareContributor {
    /// A vault re-split with its new policy.
    struct Resplit {
        /// The vault.
        var vault: VaultState
        /// The new policy.
        var policy: PolicyRecord
        /// The new custodians' X25519 keys by x.
        var recipients: [UInt8: [UInt8]]
    }

    /// The approver.
    let approver: QuorumApprover
    /// The vaults re-split.
    let resplits: [Resplit]

    /// The most workers of one batch.
    static let workerCount = 16

    /// What phase 1 made of one version: its prepared component paths and the slot holding their values.
    private struct Prepared {
        var plan: RedistributionPlan
        var paths: [[UInt8]]
        var values: SecureArena.Slot
    }

    /// The contributions of `jobs` (each with the index of its vault in ``resplits``), in order.
    ///
    /// - Parameters:
    ///   - jobs: The versions the approver holds, in order, with its coordinate in each.
    ///   - vaults: The index in ``resplits`` of each job's vault.
    ///   - random: Randomness for the sub-sharing polynomials.
    /// - Returns: One contribution per job, with its JSON (``Contribution/fragment()``, written by the worker that
    ///   sealed it).
    /// - Throws: The first failure, as the one-by-one path reports it.
    func contribute(_ jobs: [HeldVersion], vaults: [Int], random: inout some RandomSource) throws(EscrowError)
        -> (contributions: [Contribution], fragments: [JSONFragment])
    {
        let held = approver.ledger.heldShares
        let count = jobs.count
        let chunkCount = count < 64 ? 1 : min(count, Self.workerCount)
        let width = ComponentDigest.valueCount

        // Phase 1: open, check and prepare, one arena per worker (kept until the batch is done).
        let opened = ParallelResults<Void>(count: count)
        let prepared = ParallelResults<Prepared>(count: count)
        let arenas = ParallelResults<SecureArena>(count: chunkCount)
        // Safety: the workers read the graph (immutable), the jobs and the share reader's caches (thread-safe);
        // each result index is written by one worker.
        let context = UncheckedSendable(
            value: (held: held, jobs: jobs, boxKeys: approver.boxKeys, resplits: resplits, vaults: vaults)
        )
        let openChunk: @Sendable (Int) -> Void = { chunk in
            let (held, jobs, boxKeys, resplits, vaults) = context.value
            var items: [Int: Result<[OpenWork], EscrowError>] = [:]
            var slots = 1
            for index in Self.range(chunk, of: count, in: chunkCount) {
                let result = Result { () throws(EscrowError) -> [OpenWork] in try held.openWork(for: jobs[index]) }
                if case .success(let list) = result {
                    let scratch = list.map { ComponentDigest.scratchCount(position: $0.position) }.max() ?? 0
                    slots += Self.slotsToOpen(list.count, scratchCount: scratch)
                }
                items[index] = result
            }
            let arena = SecureArena(slotByteCount: width, slotCount: slots)
            arenas.set(chunk, .success(arena))
            let keys = OpenerKeys(boxKeys: boxKeys, capacity: slots)
            for index in Self.range(chunk, of: count, in: chunkCount) {
                let openResult = Result { () throws(EscrowError) -> Opened in
                    let list = try (items[index] ?? .success([])).get()
                    return try Self.open(list, keys: keys, arena: arena)
                }
                switch openResult {
                case .failure(let error):
                    opened.set(index, .failure(error))
                case .success(let values):
                    opened.set(index, .success(()))
                    // Prepared and checked as phase 2 would before drawing (its failure is reported in order there).
                    prepared.set(
                        index,
                        Result { () throws(EscrowError) in
                            let value = try Self.prepare(values, job: jobs[index], arena: arena)
                            try Self.checkSubShare(
                                value,
                                contributorX: jobs[index].x,
                                policy: resplits[vaults[index]].policy
                            )
                            return value
                        }
                    )
                }
            }
        }
        Self.run(chunkCount, openChunk)
        defer {
            for chunk in 0..<chunkCount { (try? arenas.get(chunk))?.reset() }
        }
        for index in 0..<count { try opened.get(index) }

        // Phase 2: on this thread, in order: the first failure of phase 1 (opening, preparing, the checks before a
        // split), the coefficients, the sealing keys (derived once per vault's new custodians).
        var failure: (index: Int, error: EscrowError)?
        var coefficients: [SecureArena.Slot?] = Array(repeating: nil, count: count)
        let coefficientSlots = (0..<count).reduce(0) { total, index in
            guard let value = try? prepared.get(index) else { return total }
            let threshold = resplits[vaults[index]].policy.threshold
            return total + (threshold - 1) * value.paths.count
        }
        let coefficientArena = SecureArena(slotByteCount: width, slotCount: max(1, coefficientSlots))
        defer { coefficientArena.reset() }
        var keyedVaults = Set<Int>()
        for index in 0..<count {
            do throws(EscrowError) {
                let value = try prepared.get(index)
                let resplit = resplits[vaults[index]]
                let slot: SecureArena.Slot
                do {
                    slot = try coefficientArena.allocate(slots: (resplit.policy.threshold - 1) * value.paths.count)
                } catch {
                    throw EscrowError(.cryptoFailure, "cannot reserve guarded memory: \(error.message)")
                }
                slot.withUnsafeMutableBytes { random.fill($0) }
                coefficients[index] = slot
                if keyedVaults.insert(vaults[index]).inserted {
                    for holder in resplit.policy.custodians.map(\.x) {
                        guard let recipient = resplit.recipients[holder] else { continue }
                        try approver.sealer.prepareKey(for: recipient)
                    }
                }
            } catch {
                failure = (index, error)
                break
            }
        }

        // Phase 3: sub-share and seal on every core, each worker in a scratch arena wiped after each version.
        let end = failure?.index ?? count
        let contributions = ParallelResults<(Contribution, JSONFragment)>(count: count)
        let drawn = coefficients
        // Safety: the sealer is only read (its keys were prepared above); the drawn coefficient slots are disjoint,
        // each read and wiped by the one worker handling its version; the prepared slots likewise.
        let sealContext = UncheckedSendable(value: (contributor: self, held: held, jobs: jobs, vaults: vaults))
        let sealChunk: @Sendable (Int) -> Void = { chunk in
            let (contributor, held, jobs, vaults) = sealContext.value
            var scratch = SecureArena(slotByteCount: width, slotCount: 64)
            for index in Self.range(chunk, of: count, in: chunkCount) where index < end {
                let result = Result { () throws(EscrowError) -> (Contribution, JSONFragment) in
                    // Taken out: the prepared value is released here, on this worker, not by the calling thread.
                    let value = try prepared.take(index)
                    guard let coefficients = drawn[index] else {
                        throw EscrowError(.cryptoFailure, "the coefficients of a sub-sharing are missing")
                    }
                    defer {
                        coefficients.wipe()
                        scratch.reset()
                    }
                    let contribution = try contributor.subShareAndSeal(
                        value,
                        job: jobs[index],
                        resplit: contributor.resplits[vaults[index]],
                        coefficients: coefficients,
                        held: held,
                        scratch: &scratch
                    )
                    return (contribution, try contribution.fragment())
                }
                contributions.set(index, result)
            }
        }
        Self.run(chunkCount, sealChunk)

        var result: [Contribution] = []
        var fragments: [JSONFragment] = []
        result.reserveCapacity(end)
        fragments.reserveCapacity(end)
        for index in 0..<end {
            let (contribution, fragment) = try contributions.take(index)
            result.append(contribution)
            fragments.append(fragment)
        }
        if let failure { throw failure.error }
        return (result, fragments)
    }

    /// Runs `body` for every chunk, on every core when there are several.
    private static func run(_ chunkCount: Int, _ body: @Sendable (Int) -> Void) {
        if chunkCount == 1 {
            body(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunkCount, execute: body)
        }
    }

    /// The chunk of `count` items that worker `chunk` of `chunkCount` handles.
    private static func range(_ chunk: Int, of count: Int, in chunkCount: Int) -> Range<Int> {
        (count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount)
    }

    /// The arena slots ``open(_:keys:arena:)`` and ``prepare(_:job:arena:)`` take for one version.
    private static func slotsToOpen(_ count: Int, scratchCount: Int) -> Int {
        let width = ComponentDigest.valueCount
        return max(1, count) + max(1, 2 * count) + max(1, (scratchCount + width - 1) / width) + max(1, count)
    }

    /// One version's opened values in a worker's arena, with room for its consolidations.
    private struct Opened {
        var paths: [[UInt8]]
        var values: SecureArena.Slot
        var work: SecureArena.Slot
    }

    /// Opens and checks one version's components into `arena`.
    private static func open(
        _ items: [OpenWork],
        keys: OpenerKeys,
        arena: SecureArena
    ) throws(EscrowError) -> Opened {
        let scratchCount = items.map { ComponentDigest.scratchCount(position: $0.position) }.max() ?? 0
        let values: SecureArena.Slot
        let work: SecureArena.Slot
        let scratch: SecureArena.Slot
        do {
            values = try arena.allocate(slots: max(1, items.count))
            work = try arena.allocate(slots: max(1, 2 * items.count))
            scratch = try arena.allocate(byteCount: max(1, scratchCount))
        } catch {
            throw EscrowError(.cryptoFailure, "cannot reserve guarded memory: \(error.message)")
        }
        defer { scratch.wipe() }
        try values.withUnsafeMutableBytes { (values) throws(EscrowError) in
            try scratch.withUnsafeMutableBytes { (scratch) throws(EscrowError) in
                try HeldShares.open(items, keys: keys, into: values, scratch: scratch)
            }
        }
        return Opened(paths: items.map(\.component.record.path), values: values, work: work)
    }

    /// Applies the version's plan to its opened values; the prepared values go to a slot of their own and the rest
    /// is wiped.
    private static func prepare(_ opened: Opened, job: HeldVersion, arena: SecureArena) throws(EscrowError)
        -> Prepared
    {
        let width = ComponentDigest.valueCount
        defer {
            opened.values.wipe()
            opened.work.wipe()
        }
        let version = job.version
        let plan = try Redistributor.plan(shape: try version.shape(), resolved: version.resolvedSubsets)
        let count = opened.paths.count
        return try opened.values.withUnsafeBytes { (values) throws(EscrowError) in
            try opened.work.withUnsafeMutableBytes { (work) throws(EscrowError) in
                let prepared = try Redistributor.prepare(
                    paths: opened.paths,
                    values: UnsafeRawBufferPointer(rebasing: values[0..<(count * width)]),
                    plan: plan,
                    scratch: UnsafeMutableRawBufferPointer(rebasing: work[0..<(2 * count * width)])
                )
                let slot: SecureArena.Slot
                do throws(SodiumError) {
                    slot = try arena.allocate(slots: max(1, prepared.paths.count))
                } catch {
                    throw EscrowError(.cryptoFailure, "cannot reserve guarded memory: \(error.message)")
                }
                slot.withUnsafeMutableBytes {
                    UnsafeMutableRawBufferPointer(rebasing: $0[0..<prepared.values.count])
                        .copyMemory(from: prepared.values)
                }
                return Prepared(plan: plan, paths: prepared.paths, values: slot)
            }
        }
    }

    /// The checks ``Redistributor/subShare(components:contributorX:newThreshold:newHolders:using:)`` makes before
    /// drawing any coefficient, with its messages.
    private static func checkSubShare(_ prepared: Prepared, contributorX: UInt8, policy: PolicyRecord)
        throws(EscrowError)
    {
        guard let first = prepared.paths.first else {
            throw EscrowError(.invalidInput, "there is no component to sub-share")
        }
        guard contributorX != 0 else { throw EscrowError(.invalidInput, "a contributor's x-coordinate must not be 0") }
        try CustodyValidation.paths(prepared.paths, pathCount: first.count, "the components to sub-share")
        guard first.count < SharingShape.maximumLevelCount else {
            throw EscrowError(
                .invalidInput,
                "the components already carry \(first.count) re-split levels: consolidate one first (prepare)"
            )
        }
        let newHolders = policy.custodians.map(\.x)
        try CustodyValidation.coordinates(newHolders, "the new holders")
        try CustodyValidation.policy(threshold: policy.threshold, count: newHolders.count, "the new holders")
    }

    /// Sub-shares one version's prepared values with the drawn coefficients and seals every sub-share.
    private func subShareAndSeal(
        _ prepared: Prepared,
        job: HeldVersion,
        resplit: Resplit,
        coefficients: SecureArena.Slot,
        held: HeldShares,
        scratch: inout SecureArena
    ) throws(EscrowError) -> Contribution {
        let width = ComponentDigest.valueCount
        let newHolders = resplit.policy.custodians.map(\.x)
        let length = prepared.paths.count * width
        let binding = try held.binding(of: job.version, in: resplit.vault.reference)
        let generation = resplit.vault.generation + 1
        let request = approver.request.event.bytes
        var positions: [[SharePosition]] = []
        var digestCount = 0
        let paths = prepared.paths.map { $0 + [job.x] }
        for holder in newHolders {
            var row: [SharePosition] = []
            row.reserveCapacity(paths.count)
            for path in paths {
                let position = try SharePosition(
                    binding: binding,
                    generation: generation,
                    resplit: request,
                    path: path,
                    x: holder
                )
                if digestCount == 0 {
                    // Every position of the version has the same shape (one-byte x, paths of one length).
                    digestCount = ComponentDigest.scratchCount(position: position)
                }
                row.append(position)
            }
            positions.append(row)
        }
        let slots = newHolders.count * prepared.paths.count + scratch.slotsNeeded(forByteCount: digestCount)
        if scratch.slotCount < slots { scratch = SecureArena(slotByteCount: width, slotCount: slots) }
        let rows: SecureArena.Slot
        let digestScratch: SecureArena.Slot
        do {
            rows = try scratch.allocate(slots: newHolders.count * prepared.paths.count)
            digestScratch = try scratch.allocate(byteCount: max(1, digestCount))
        } catch {
            throw EscrowError(.cryptoFailure, "cannot reserve guarded memory: \(error.message)")
        }
        try prepared.values.withUnsafeBytes { (values) throws(EscrowError) in
            try rows.withUnsafeMutableBytes { (rows) throws(EscrowError) in
                try coefficients.withUnsafeBytes { (drawn) throws(EscrowError) in
                    var random = DrawnRandom(drawn)
                    try Redistributor.subShare(
                        UnsafeRawBufferPointer(rebasing: values[0..<length]),
                        newThreshold: resplit.policy.threshold,
                        newHolders: newHolders,
                        into: UnsafeMutableRawBufferPointer(rebasing: rows[0..<(newHolders.count * length)]),
                        using: &random
                    )
                    assert(random.isExhausted, "the sub-sharing did not use exactly the coefficients drawn for it")
                }
            }
        }
        var records: [SealedComponentRecord] = []
        try rows.withUnsafeBytes { (rows) throws(EscrowError) in
            try digestScratch.withUnsafeMutableBytes { (digestScratch) throws(EscrowError) in
                for (row, holder) in newHolders.enumerated() {
                    guard let recipient = resplit.recipients[holder] else { continue }
                    for (index, position) in positions[row].enumerated() {
                        let start = row * length + index * width
                        let sealed = try approver.sealer.sealComponent(
                            UnsafeRawBufferPointer(rebasing: rows[start..<(start + width)]),
                            position: position,
                            recipientBoxKey: recipient,
                            scratch: digestScratch
                        )
                        records.append(
                            SealedComponentRecord(
                                x: holder,
                                path: sealed.path,
                                sealed: sealed.sealed,
                                digest: sealed.digest
                            )
                        )
                    }
                }
            }
        }
        return Contribution(
            version: job.version.id,
            levels: prepared.plan.remainingLevels.map(\.resplit),
            components: records
        )
    }
}
