import Shamir
import Sodium

/// Rebuilds a version's key from its holders' components, trying the subsets of every re-split level they carry.
///
/// For each choice of one `threshold`-subset per level (oldest level outermost; each level's subsets in
/// lexicographic order of their sorted x-coordinates, a subset recorded by an earlier open first), every holder's
/// components
/// are consolidated level by level (Lagrange weights of the subset at 0), the first ``SharingShape/threshold``
/// holders that hold every needed component (ascending x) are interpolated at 0, and the candidate is checked against
/// the ``KeyCommitment`` in constant time. The first match wins. Then, for each contributor a working subset
/// excludes, the subsets of its level that include it are tried with the other levels fixed: if none rebuilds the
/// key, the contributor is a suspect.
///
/// The components are checked against their ``ComponentDigest``s by the caller before the rebuild; a value that
/// passes its digest but fails every subset including its contributor is that contributor's doing.
///
/// Every intermediate (the gathered components, the consolidated values, the candidates) lives in guarded scratch
/// memory that is wiped before returning, whatever the outcome. All multiplications of secret bytes are by public
/// Lagrange weights, through `Shamir`'s constant-time kernels.
public enum Rebuilder {
    /// The largest number of subset choices a rebuild tries (the product over levels of `C(|Q|, t)`): a bound on the
    /// work a malformed shape can cause. A re-split should use `t + 1` contributors, which gives `(t + 1)²` choices
    /// at most.
    public static let maximumCombinationCount = 65_536

    /// Rebuilds the key of one version.
    ///
    /// - Parameters:
    ///   - shape: The version's sharing.
    ///   - holders: The components of each holder that answered (digests already checked), by x-coordinate.
    ///   - binding: The version.
    ///   - commitment: The version's key commitment.
    ///   - resolved: Subsets recorded by earlier opens, by re-split id: tried first for their level. The other
    ///     subsets follow, because an open checks a subset only with the holders it used.
    /// - Returns: The key, the working subsets and the suspects.
    /// - Throws: ``EscrowError/Code/quorumNotMet`` if fewer than `shape.threshold` holders answered, or no choice of
    ///   subsets has that many holders with every needed component; ``EscrowError/Code/badShare`` if no choice
    ///   rebuilds the committed key, naming each level's re-split and contributors;
    ///   ``EscrowError/Code/invalidInput`` for components or subsets that do not fit the shape, a commitment of the
    ///   wrong length, or more than ``maximumCombinationCount`` choices.
    /// - Complexity: O(choices × `shape.threshold` × Π `t_level`) constant-time GF(256) work on 32 bytes, plus the
    ///   suspect search; one BLAKE2b per choice tried.
    public static func rebuild(
        shape: SharingShape,
        holders: [UInt8: [ShareComponent]],
        binding: VersionBinding,
        commitment: [UInt8],
        resolved: [[UInt8]: [UInt8]] = [:]
    ) throws(EscrowError) -> RebuildResult {
        try rebuild(
            shape: shape,
            holders: holders,
            binding: binding,
            commitment: commitment,
            resolved: resolved,
            observe: { _ in }
        )
    }

    /// ``rebuild(shape:holders:binding:commitment:resolved:)`` with a hook that sees every guarded intermediate, so
    /// that tests can check it was wiped.
    static func rebuild(
        shape: SharingShape,
        holders: [UInt8: [ShareComponent]],
        binding: VersionBinding,
        commitment: [UInt8],
        resolved: [[UInt8]: [UInt8]],
        observe: (SecureBytes) -> Void
    ) throws(EscrowError) -> RebuildResult {
        guard commitment.count == KeyCommitment.byteCount else {
            throw EscrowError(.invalidInput, "a key commitment has \(KeyCommitment.byteCount) bytes")
        }
        guard holders.count >= shape.threshold else {
            throw EscrowError(
                .quorumNotMet,
                "\(binding.label): \(holders.count) holders answered, \(shape.threshold) are needed"
            )
        }
        let levels = shape.levels
        let xs = holders.keys.sorted()
        for x in xs {
            guard shape.holders.contains(x) else {
                throw EscrowError(.invalidInput, "\(binding.label): x=\(x) is not a holder of the version")
            }
            let components = holders[x] ?? []
            try CustodyValidation.components(components, pathCount: levels.count, "the components of x=\(x)")
            for component in components {
                for (index, level) in levels.enumerated() where !level.contributors.contains(component.path[index]) {
                    throw EscrowError(
                        .invalidInput,
                        "the component \(CustodyText.path(component.path)) of x=\(x) names a contributor outside "
                            + level.label
                    )
                }
            }
        }
        var candidates: [[[UInt8]]] = []
        var choiceCount = 1
        for level in levels {
            let count = Self.binomial(level.contributors.count, level.threshold)
            let (product, overflow) = choiceCount.multipliedReportingOverflow(by: count)
            guard !overflow, product <= maximumCombinationCount else {
                throw EscrowError(
                    .invalidInput,
                    "\(binding.label): more than \(maximumCombinationCount) choices of subsets to try"
                )
            }
            choiceCount = product
            var options = Self.subsets(of: level.contributors, size: level.threshold)
            if let recorded = resolved[level.resplit] {
                // The recorded subset first: it worked for the holders of the open that recorded it, not
                // necessarily for these, so the others still follow.
                let preferred = try level.checkSubset(recorded)
                options.removeAll { $0 == preferred }
                options.insert(preferred, at: 0)
            }
            candidates.append(options)
        }

        // Gather every component into one guarded table; slots[h][path] is the component's index in it.
        let width = ComponentDigest.valueCount
        var slots: [[[UInt8]: Int]] = []
        var slotCount = 0
        for x in xs {
            var map: [[UInt8]: Int] = [:]
            for component in holders[x] ?? [] {
                map[component.path] = slotCount
                slotCount += 1
            }
            slots.append(map)
        }
        let table = SecureBytes(count: slotCount * width)
        // Scratch: the temporaries of each level, then one consolidated row per chosen holder, then the candidate.
        var levelOffsets: [Int] = []
        var scratchCount = 0
        for level in levels {
            levelOffsets.append(scratchCount)
            scratchCount += level.threshold * width
        }
        let rowsOffset = scratchCount
        scratchCount += shape.threshold * width
        let candidateOffset = scratchCount
        scratchCount += width
        let scratch = SecureBytes(count: scratchCount)
        let key = SecureBytes(count: width)
        observe(table)
        observe(scratch)
        defer {
            table.wipe()
            scratch.wipe()
        }
        table.withUnsafeMutableBytes { table in
            for (h, x) in xs.enumerated() {
                for component in holders[x] ?? [] {
                    guard let slot = slots[h][component.path] else { continue }
                    component.value.withUnsafeBytes { value in
                        UnsafeMutableRawBufferPointer(rebasing: table[(slot * width)..<((slot + 1) * width)])
                            .copyMemory(from: value)
                    }
                }
            }
        }

        let search = try table.withUnsafeBytes { (table) throws(EscrowError) -> Search in
            try scratch.withUnsafeMutableBytes { (scratch) throws(EscrowError) -> Search in
                let attempt = Attempt(
                    table: table,
                    scratch: scratch,
                    slots: slots,
                    xs: xs,
                    threshold: shape.threshold,
                    levelOffsets: levelOffsets,
                    rowsOffset: rowsOffset,
                    candidateOffset: candidateOffset,
                    binding: binding,
                    commitment: commitment
                )
                return try Self.search(candidates: candidates, attempt: attempt, key: key)
            }
        }
        guard let working = search.working else {
            key.wipe()
            guard search.anyComplete else {
                throw EscrowError(
                    .quorumNotMet,
                    "\(binding.label): fewer than \(shape.threshold) holders hold every component a rebuild needs"
                )
            }
            let named =
                levels.isEmpty
                ? "the shares of holders \(CustodyText.coordinates(xs))"
                : levels.map(\.label).joined(separator: "; ")
            throw EscrowError(.badShare, "\(binding.label): \(named): no subset rebuilds the committed key")
        }
        return RebuildResult(key: key, subsets: working, suspects: search.suspects)
    }

    /// What the search found: the working choice (or none), whether any choice had enough holders, the suspects.
    private struct Search {
        var working: [[UInt8]]?
        var anyComplete: Bool
        var suspects: [[UInt8]]
    }

    /// Tries every choice in order; on the first match copies the candidate into `key` and looks for suspects.
    private static func search(candidates: [[[UInt8]]], attempt: Attempt, key: SecureBytes) throws(EscrowError)
        -> Search
    {
        var anyComplete = false
        var indices = [Int](repeating: 0, count: candidates.count)
        var working: [[UInt8]]?
        while true {
            let choice = indices.enumerated().map { candidates[$0.offset][$0.element] }
            switch try attempt.run(choice) {
            case .match:
                working = choice
            case .mismatch:
                anyComplete = true
            case .incomplete:
                break
            }
            if working != nil { break }
            // Advance the odometer: the newest level turns fastest.
            var level = candidates.count - 1
            while level >= 0 {
                indices[level] += 1
                if indices[level] < candidates[level].count { break }
                indices[level] = 0
                level -= 1
            }
            if level < 0 { break }
        }
        guard let working else { return Search(working: nil, anyComplete: anyComplete, suspects: []) }
        attempt.copyCandidate(into: key)
        var suspects: [[UInt8]] = []
        for (level, options) in candidates.enumerated() {
            var named: [UInt8] = []
            if options.count > 1 {
                let contributors = Set(options.flatMap { $0 })
                for contributor in contributors.sorted() where !working[level].contains(contributor) {
                    var cleared = false
                    for option in options where option.contains(contributor) {
                        var choice = working
                        choice[level] = option
                        if try attempt.run(choice) == .match {
                            cleared = true
                            break
                        }
                    }
                    if !cleared { named.append(contributor) }
                }
            }
            suspects.append(named)
        }
        return Search(working: working, anyComplete: true, suspects: suspects)
    }

    /// One rebuild attempt over raw guarded buffers (allocation of guarded memory: none).
    private struct Attempt {
        enum Outcome { case match, mismatch, incomplete }

        let table: UnsafeRawBufferPointer
        let scratch: UnsafeMutableRawBufferPointer
        let slots: [[[UInt8]: Int]]
        let xs: [UInt8]
        let threshold: Int
        let levelOffsets: [Int]
        let rowsOffset: Int
        let candidateOffset: Int
        let binding: VersionBinding
        let commitment: [UInt8]

        private var width: Int { ComponentDigest.valueCount }
        private var candidate: UnsafeMutableRawBufferPointer {
            UnsafeMutableRawBufferPointer(rebasing: scratch[candidateOffset..<(candidateOffset + width)])
        }

        func run(_ choice: [[UInt8]]) throws(EscrowError) -> Outcome {
            let paths = Rebuilder.paths(choice)
            let chosen = xs.indices.filter { h in paths.allSatisfy { slots[h][$0] != nil } }.prefix(threshold)
            guard chosen.count == threshold else { return .incomplete }
            var prefix: [UInt8] = []
            for (row, h) in chosen.enumerated() {
                let start = rowsOffset + row * width
                try consolidate(
                    holder: h,
                    choice: choice,
                    prefix: &prefix,
                    into: UnsafeMutableRawBufferPointer(rebasing: scratch[start..<(start + width)])
                )
            }
            try Rebuilder.combine(
                xs: chosen.map { xs[$0] },
                rows: UnsafeRawBufferPointer(
                    rebasing: scratch[rowsOffset..<(rowsOffset + threshold * width)]
                ),
                into: candidate
            )
            let matches = KeyCommitment.matches(
                key: UnsafeRawBufferPointer(candidate),
                binding: binding,
                commitment: commitment
            )
            return matches ? .match : .mismatch
        }

        /// Writes into `output` the holder's value with the levels from `prefix.count` on consolidated.
        private func consolidate(
            holder: Int,
            choice: [[UInt8]],
            prefix: inout [UInt8],
            into output: UnsafeMutableRawBufferPointer
        ) throws(EscrowError) {
            let level = prefix.count
            guard level < choice.count else {
                guard let slot = slots[holder][prefix] else { return }
                output.copyMemory(from: UnsafeRawBufferPointer(rebasing: table[(slot * width)..<((slot + 1) * width)]))
                return
            }
            let subset = choice[level]
            let base = levelOffsets[level]
            for (index, contributor) in subset.enumerated() {
                prefix.append(contributor)
                let start = base + index * width
                try consolidate(
                    holder: holder,
                    choice: choice,
                    prefix: &prefix,
                    into: UnsafeMutableRawBufferPointer(rebasing: scratch[start..<(start + width)])
                )
                prefix.removeLast()
            }
            try Rebuilder.combine(
                xs: subset,
                rows: UnsafeRawBufferPointer(rebasing: scratch[base..<(base + subset.count * width)]),
                into: output
            )
        }

        func copyCandidate(into key: SecureBytes) {
            key.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(candidate)) }
        }
    }

    /// Lagrange interpolation at 0 (`Shamir.combine`: public weights × secret bytes, constant time).
    private static func combine(
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) {
        do throws(ShamirError) {
            try Shamir.combine(xs: xs, rows: rows, into: output)
        } catch {
            throw EscrowError(.sharingFailed, "cannot combine the components: \(error.message)")
        }
    }

    /// Every path a choice needs: the cartesian product of its subsets, oldest level first.
    static func paths(_ choice: [[UInt8]]) -> [[UInt8]] {
        choice.reduce([[]]) { partial, subset in partial.flatMap { prefix in subset.map { prefix + [$0] } } }
    }

    /// The `size`-subsets of `sorted`, in lexicographic order.
    static func subsets(of sorted: [UInt8], size: Int) -> [[UInt8]] {
        guard size > 0, size <= sorted.count else { return size == 0 ? [[]] : [] }
        var result: [[UInt8]] = []
        var indices = Array(0..<size)
        while true {
            result.append(indices.map { sorted[$0] })
            var i = size - 1
            while i >= 0 && indices[i] == sorted.count - size + i { i -= 1 }
            if i < 0 { return result }
            indices[i] += 1
            for j in (i + 1)..<size { indices[j] = indices[j - 1] + 1 }
        }
    }

    /// `C(n, k)`, saturating at `Int.max`.
    static func binomial(_ n: Int, _ k: Int) -> Int {
        guard k >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var result = 1
        for i in 0..<k {
            let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
            if overflow { return Int.max }
            result = product / (i + 1)
        }
        return result
    }
}
