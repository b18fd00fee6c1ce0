import Shamir
import Sodium

/// Re-splits a version's key without anyone rebuilding it: secret redistribution (Desmedt and Jajodia, 1997).
///
/// Each contributing old holder `i` runs, on its own components:
/// 1. ``plan(shape:resolved:)`` (the same for every contributor: it depends on public data only) and
///    ``prepare(components:plan:)``, which consolidates the levels the plan names;
/// 2. ``subShare(components:contributorX:newThreshold:newHolders:using:)``: each component `c` gets a fresh
///    polynomial `g` of degree `newThreshold - 1` with `g(0) = c` and uniform coefficients, and new holder `j`
///    receives `g(x'_j)` with path `c.path + [i]`.
///
/// For any `t`-subset `S` of the contributors `Q` (`t` = the old threshold), `Σ_{i∈S} λ_i^S · g_i` is a polynomial of
/// degree `newThreshold - 1` whose value at 0 is the key: the new holders' components are a sharing of the same key.
/// A coalition of fewer than `t` old and fewer than `newThreshold` new holders learns nothing about it.
///
/// **Robustness.** A contributor can shift its `g(0)` or send one holder an inconsistent value; it learns nothing by
/// doing so, but the key would no longer rebuild. New holders therefore keep the raw vector of components (one per
/// contributor) and ``Rebuilder`` tries every `t`-subset per level, naming the contributors that only failing
/// subsets include. With `|Q| = t + 1` one cheater per level is tolerated and named.
///
/// **Deep chains.** At most ``SharingShape/maximumLevelCount`` levels stay unconsolidated. Before sub-sharing, a
/// contributor consolidates every level whose subset an open recorded; if two unresolved levels remain, it
/// consolidates the oldest with its first `t` contributors in ascending order: robustness is given up for that level
/// (``RedistributionPlan/forcedLevels``), which the caller reports in the re-split's results and on screen.
///
/// Every multiplication of a secret byte is by a public constant (a Lagrange weight or a power of a public
/// x-coordinate), through the constant-time GF(256) kernels of `Shamir`.
///
/// - SeeAlso: Y. Desmedt and S. Jajodia, *Redistributing secret shares to new access structures and its
///   applications*, Technical Report ISSE-TR-97-01, George Mason University, 1997.
public enum Redistributor {
    /// Sub-shares a contributor's components under a new policy.
    ///
    /// - Parameters:
    ///   - components: The contributor's components of one version (after ``prepare(components:plan:)``), with
    ///     distinct paths of one length below ``SharingShape/maximumLevelCount``.
    ///   - contributorX: The contributor's own (old) x-coordinate, appended to every path.
    ///   - newThreshold: The new threshold, `2...newHolders.count`.
    ///   - newHolders: The new holders' x-coordinates: distinct, non-zero, at most 255.
    ///   - random: Randomness for the polynomials' coefficients (a fresh `StreamRandom` in production).
    /// - Returns: For each new holder, its components in the order of `components`, each with path
    ///   `component.path + [contributorX]`.
    /// - Throws: ``EscrowError/Code/invalidInput`` for no component, a component that is not 32 bytes, mixed or
    ///   repeated paths, a path already ``SharingShape/maximumLevelCount`` long (prepare first), a contributor 0, or
    ///   an invalid new policy.
    /// - Complexity: O(`components.count` × `newHolders.count` × `newThreshold`) constant-time GF(256) work; one
    ///   guarded allocation per returned component.
    public static func subShare(
        components: [ShareComponent],
        contributorX: UInt8,
        newThreshold: Int,
        newHolders: [UInt8],
        using random: inout some RandomSource
    ) throws(EscrowError) -> [UInt8: [ShareComponent]] {
        try subShare(
            components: components,
            contributorX: contributorX,
            newThreshold: newThreshold,
            newHolders: newHolders,
            using: &random,
            observe: { _ in }
        )
    }

    /// ``subShare(components:contributorX:newThreshold:newHolders:using:)`` with a hook that sees the guarded
    /// scratch buffers, so that tests can check they were wiped.
    static func subShare(
        components: [ShareComponent],
        contributorX: UInt8,
        newThreshold: Int,
        newHolders: [UInt8],
        using random: inout some RandomSource,
        observe: (SecureBytes) -> Void
    ) throws(EscrowError) -> [UInt8: [ShareComponent]] {
        guard let first = components.first else {
            throw EscrowError(.invalidInput, "there is no component to sub-share")
        }
        guard contributorX != 0 else { throw EscrowError(.invalidInput, "a contributor's x-coordinate must not be 0") }
        try CustodyValidation.components(components, pathCount: first.path.count, "the components to sub-share")
        guard first.path.count < SharingShape.maximumLevelCount else {
            throw EscrowError(
                .invalidInput,
                "the components already carry \(first.path.count) re-split levels: consolidate one first (prepare)"
            )
        }
        try CustodyValidation.coordinates(newHolders, "the new holders")
        try CustodyValidation.policy(threshold: newThreshold, count: newHolders.count, "the new holders")

        let width = ComponentDigest.valueCount
        let length = components.count * width
        // All components are split together: every byte of every component has its own polynomial.
        let secrets = SecureBytes(count: length)
        let rows = SecureBytes(count: newHolders.count * length)
        observe(secrets)
        observe(rows)
        defer {
            secrets.wipe()
            rows.wipe()
        }
        try secrets.withUnsafeMutableBytes { (secrets) throws(EscrowError) in
            for (index, component) in components.enumerated() {
                component.value.withUnsafeBytes { value in
                    UnsafeMutableRawBufferPointer(rebasing: secrets[(index * width)..<((index + 1) * width)])
                        .copyMemory(from: value)
                }
            }
            try rows.withUnsafeMutableBytes { (rows) throws(EscrowError) in
                try subShare(
                    UnsafeRawBufferPointer(secrets),
                    newThreshold: newThreshold,
                    newHolders: newHolders,
                    into: rows,
                    using: &random
                )
            }
        }
        var result: [UInt8: [ShareComponent]] = [:]
        rows.withUnsafeBytes { rows in
            for (row, holder) in newHolders.enumerated() {
                result[holder] = components.enumerated().map { index, component in
                    let start = row * length + index * width
                    return ShareComponent(
                        path: component.path + [contributorX],
                        value: SecureBytes(copying: UnsafeRawBufferPointer(rebasing: rows[start..<(start + width)]))
                    )
                }
            }
        }
        return result
    }

    /// Sub-shares component values held back to back in caller-provided guarded memory: the bulk form, for a
    /// contributor re-splitting many versions at once (no guarded allocation; seal each row slice with
    /// ``ShareSealer/sealComponent(_:position:recipientBoxKey:)``). The caller keeps the paths: the value at offset
    /// `32·k` of every row is the sub-share of component `k`, with path `component.path + [contributorX]`.
    ///
    /// - Parameters:
    ///   - values: The components' 32-byte values, back to back (a whole number of values, at least one).
    ///   - newThreshold: The new threshold, `2...newHolders.count`.
    ///   - newHolders: The new holders' x-coordinates: distinct, non-zero, at most 255.
    ///   - rows: Receives one row of `values.count` bytes per new holder, in the order of `newHolders`; must not
    ///     overlap `values`.
    ///   - random: Randomness for the coefficients: `newThreshold - 1` bytes per value byte.
    /// - Throws: ``EscrowError/Code/invalidInput`` for an empty or ragged `values`, a wrong `rows` size, or an
    ///   invalid new policy.
    /// - Complexity: O(`values.count` × `newHolders.count` × `newThreshold`) constant-time GF(256) work.
    public static func subShare(
        _ values: UnsafeRawBufferPointer,
        newThreshold: Int,
        newHolders: [UInt8],
        into rows: UnsafeMutableRawBufferPointer,
        using random: inout some RandomSource
    ) throws(EscrowError) {
        let width = ComponentDigest.valueCount
        guard !values.isEmpty, values.count % width == 0 else {
            throw EscrowError(.invalidInput, "the values to sub-share are not whole \(width)-byte components")
        }
        try CustodyValidation.coordinates(newHolders, "the new holders")
        try CustodyValidation.policy(threshold: newThreshold, count: newHolders.count, "the new holders")
        guard rows.count == newHolders.count * values.count else {
            throw EscrowError(
                .invalidInput,
                "the sub-share rows hold \(rows.count) bytes, expected \(newHolders.count * values.count)"
            )
        }
        do throws(ShamirError) {
            try Shamir.split(values, threshold: newThreshold, xs: newHolders, into: rows, using: &random)
        } catch {
            throw EscrowError(.sharingFailed, "cannot sub-share the components: \(error.message)")
        }
    }

    /// Removes path element `level` from a holder's components: for every group of components whose paths agree
    /// outside `level`, the Lagrange-weighted sum `Σ_{i∈subset} λ_i · c_i` (weights of `subset` at 0) of the
    /// components whose element at `level` is in `subset`. Components whose element at `level` is outside `subset`
    /// are dropped.
    ///
    /// - Parameters:
    ///   - components: One holder's components of one version (distinct paths of one length, above `level`).
    ///   - level: The index of the path element to remove (0 = the oldest level).
    ///   - subset: The contributors to combine at that level: at least two, distinct, non-zero.
    /// - Returns: The consolidated components, ordered by path.
    /// - Throws: ``EscrowError/Code/invalidInput`` for inconsistent paths, a `level` out of range, an invalid subset,
    ///   or a group that lacks a component for a member of `subset`.
    /// - Complexity: O(`components.count`) constant-time GF(256) work; one guarded allocation per result.
    public static func consolidate(
        components: [ShareComponent],
        level: Int,
        subset: [UInt8]
    ) throws(EscrowError) -> [ShareComponent] {
        let pathCount = components.first?.path.count ?? 0
        try CustodyValidation.components(components, pathCount: pathCount, "the components to consolidate")
        // The level and the subset are checked by the consolidation over raw values below.
        return try staged(components, workSlotsPerComponent: 1) { (values, combined) throws(EscrowError) in
            let paths = try consolidate(
                paths: components.map(\.path),
                values: values,
                level: level,
                subset: subset,
                into: combined
            )
            return Self.components(paths: paths, values: UnsafeRawBufferPointer(combined))
        }
    }

    /// Copies the components' values back to back into one guarded arena, with `workSlotsPerComponent` 32-byte
    /// work slots per component beside them, runs `body` on both, and wipes the arena: the single-version forms of
    /// the bulk operations.
    private static func staged<Result>(
        _ components: [ShareComponent],
        workSlotsPerComponent: Int,
        _ body: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws(EscrowError) -> Result
    ) throws(EscrowError) -> Result {
        let width = ComponentDigest.valueCount
        let count = max(1, components.count)
        let scratch = SecureArena(slotByteCount: width, slotCount: count * (1 + workSlotsPerComponent))
        defer { scratch.reset() }
        let input: SecureArena.Slot
        let work: SecureArena.Slot
        do {
            input = try scratch.allocate(slots: count)
            work = try scratch.allocate(slots: count * workSlotsPerComponent)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot reserve guarded memory: \(error.message)")
        }
        return try input.withUnsafeMutableBytes { (values) throws(EscrowError) in
            for (index, component) in components.enumerated() {
                component.value.withUnsafeBytes {
                    UnsafeMutableRawBufferPointer(rebasing: values[(index * width)..<((index + 1) * width)])
                        .copyMemory(from: $0)
                }
            }
            return try work.withUnsafeMutableBytes { (work) throws(EscrowError) in
                try body(
                    UnsafeRawBufferPointer(rebasing: values[0..<(components.count * width)]),
                    UnsafeMutableRawBufferPointer(
                        rebasing: work[0..<(components.count * workSlotsPerComponent * width)]
                    )
                )
            }
        }
    }

    /// ``consolidate(components:level:subset:)`` on values held back to back in caller-provided guarded memory (the
    /// bulk form: no guarded allocation).
    ///
    /// - Parameters:
    ///   - paths: The components' paths, in the order of `values` (validated here).
    ///   - values: `paths.count` 32-byte values, back to back.
    ///   - level: The index of the path element to remove.
    ///   - subset: The contributors to combine at that level.
    ///   - output: Receives the consolidated values back to back (room for `paths.count` values; must not overlap
    ///     `values`).
    /// - Returns: The consolidated paths, ordered, in the order of the values written to `output`.
    /// - Throws: As ``consolidate(components:level:subset:)``.
    static func consolidate(
        paths: [[UInt8]],
        values: UnsafeRawBufferPointer,
        level: Int,
        subset: [UInt8],
        into output: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) -> [[UInt8]] {
        let width = ComponentDigest.valueCount
        let pathCount = paths.first?.count ?? 0
        try CustodyValidation.paths(paths, pathCount: pathCount, "the components to consolidate")
        guard values.count == paths.count * width, output.count >= values.count else {
            throw EscrowError(.invalidInput, "the components to consolidate are not whole \(width)-byte values")
        }
        guard level >= 0, level < pathCount else {
            throw EscrowError(.invalidInput, "the components have no re-split level \(level) to consolidate")
        }
        let subset = subset.sorted()
        try CustodyValidation.coordinates(subset, "the consolidation subset")
        guard subset.count >= 2 else {
            throw EscrowError(.invalidInput, "a consolidation combines at least two contributors")
        }
        var groups: [[UInt8]: [UInt8: Int]] = [:]
        for (index, path) in paths.enumerated() where subset.contains(path[level]) {
            var rest = path
            rest.remove(at: level)
            groups[rest, default: [:]][path[level]] = index
        }
        var result: [[UInt8]] = []
        for rest in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let members = groups[rest] ?? [:]
            var rows: [UnsafeRawBufferPointer] = []
            for x in subset {
                guard let index = members[x] else {
                    throw EscrowError(
                        .invalidInput,
                        "the components lack contributor x=\(x) at level \(level) for the rest of the path "
                            + CustodyText.path(rest)
                    )
                }
                rows.append(UnsafeRawBufferPointer(rebasing: values[(index * width)..<((index + 1) * width)]))
            }
            let start = result.count * width
            do throws(ShamirError) {
                try Shamir.combine(
                    xs: subset,
                    rows: rows,
                    into: UnsafeMutableRawBufferPointer(rebasing: output[start..<(start + width)])
                )
            } catch {
                throw EscrowError(.sharingFailed, "cannot combine the components: \(error.message)")
            }
            result.append(rest)
        }
        return result
    }

    /// Components with fresh guarded values copied from `values` (32 bytes each, in the order of `paths`).
    private static func components(paths: [[UInt8]], values: UnsafeRawBufferPointer) -> [ShareComponent] {
        let width = ComponentDigest.valueCount
        return paths.enumerated().map { index, path in
            ShareComponent(
                path: path,
                value: SecureBytes(
                    copying: UnsafeRawBufferPointer(rebasing: values[(index * width)..<((index + 1) * width)])
                )
            )
        }
    }

    /// Decides what a re-split does with the version's levels (the same for every contributor).
    ///
    /// - Parameters:
    ///   - shape: The version's current shape.
    ///   - resolved: The subsets opens recorded, by re-split id; entries for other re-splits are ignored.
    /// - Returns: The plan: resolved levels consolidated with their subsets, then, while two unresolved levels remain,
    ///   the oldest consolidated with its first `threshold` contributors (forced); at most one level remains.
    /// - Throws: ``EscrowError/Code/invalidInput`` if a recorded subset is not `threshold` distinct contributors of its
    ///   level.
    public static func plan(shape: SharingShape, resolved: [[UInt8]: [UInt8]]) throws(EscrowError)
        -> RedistributionPlan
    {
        var consolidations: [LevelConsolidation] = []
        var remaining: [SharingLevel] = []
        for level in shape.levels {
            if let subset = resolved[level.resplit] {
                consolidations.append(try LevelConsolidation(level: level, subset: subset, isForced: false))
            } else {
                remaining.append(level)
            }
        }
        while remaining.count >= SharingShape.maximumLevelCount {
            let oldest = remaining.removeFirst()
            consolidations.append(
                try LevelConsolidation(
                    level: oldest,
                    subset: Array(oldest.contributors.prefix(oldest.threshold)),
                    isForced: true
                )
            )
        }
        let order = shape.levels.map(\.resplit)
        consolidations.sort {
            (order.firstIndex(of: $0.level.resplit) ?? 0) < (order.firstIndex(of: $1.level.resplit) ?? 0)
        }
        return RedistributionPlan(shape: shape, consolidations: consolidations, remainingLevels: remaining)
    }

    /// Applies a plan's consolidations to one holder's components.
    ///
    /// - Parameters:
    ///   - components: The holder's components of the version (paths as long as the plan's shape has levels).
    ///   - plan: The plan from ``plan(shape:resolved:)``.
    /// - Returns: Components whose paths name only the plan's remaining levels, ready for
    ///   ``subShare(components:contributorX:newThreshold:newHolders:using:)``.
    /// - Throws: ``EscrowError/Code/invalidInput`` if the components do not match the shape or lack a contributor of
    ///   a consolidated subset.
    public static func prepare(components: [ShareComponent], plan: RedistributionPlan) throws(EscrowError)
        -> [ShareComponent]
    {
        try CustodyValidation.components(
            components,
            pathCount: plan.shape.levels.count,
            "the components to prepare"
        )
        return try staged(components, workSlotsPerComponent: 2) { (values, work) throws(EscrowError) in
            let prepared = try prepare(paths: components.map(\.path), values: values, plan: plan, scratch: work)
            return Self.components(paths: prepared.paths, values: prepared.values)
        }
    }

    /// ``prepare(components:plan:)`` on values held back to back in caller-provided guarded memory (the bulk form:
    /// no guarded allocation).
    ///
    /// - Parameters:
    ///   - paths: The components' paths, in the order of `values`.
    ///   - values: `paths.count` 32-byte values, back to back.
    ///   - plan: The plan from ``plan(shape:resolved:)``.
    ///   - scratch: Room for twice `values` (the consolidations write there); must not overlap `values`.
    /// - Returns: The prepared paths and their values (`values` itself if the plan consolidates nothing, else a part
    ///   of `scratch`).
    /// - Throws: As ``prepare(components:plan:)``.
    static func prepare(
        paths: [[UInt8]],
        values: UnsafeRawBufferPointer,
        plan: RedistributionPlan,
        scratch: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) -> (paths: [[UInt8]], values: UnsafeRawBufferPointer) {
        try CustodyValidation.paths(paths, pathCount: plan.shape.levels.count, "the components to prepare")
        for path in paths {
            for (index, level) in plan.shape.levels.enumerated() where !level.contributors.contains(path[index]) {
                throw EscrowError(
                    .invalidInput,
                    "the component \(CustodyText.path(path)) names a contributor outside \(level.label)"
                )
            }
        }
        let half = scratch.count / 2
        guard half >= values.count else {
            throw EscrowError(.invalidInput, "the scratch for the consolidations is too small")
        }
        var currentPaths = paths
        var current = values
        var levels = plan.shape.levels.map(\.resplit)
        var side = 0
        for consolidation in plan.consolidations {
            guard let index = levels.firstIndex(of: consolidation.level.resplit) else {
                throw EscrowError(.invalidInput, "\(consolidation.level.label) is not a level of the version")
            }
            let output = UnsafeMutableRawBufferPointer(rebasing: scratch[(side * half)..<((side + 1) * half)])
            currentPaths = try consolidate(
                paths: currentPaths,
                values: current,
                level: index,
                subset: consolidation.subset,
                into: output
            )
            current = UnsafeRawBufferPointer(rebasing: output[0..<(currentPaths.count * ComponentDigest.valueCount)])
            levels.remove(at: index)
            side = 1 - side
        }
        return (currentPaths, current)
    }
}
