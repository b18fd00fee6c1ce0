/// The events of one store as a DAG (each event names its parents), checked for shape and put in canonical order.
///
/// Building a graph checks what does not depend on the fold:
///
/// - exactly one genesis (type `genesis`, no parents, no previous event), and every other event has parents;
/// - every event names the genesis's store id (or the expected one);
/// - every parent is present;
/// - each event's `previous` is `nil` or a strict ancestor signed by the same key.
///
/// Signatures and canonical bytes are checked earlier, by ``Event/decode(_:source:)``.
///
/// **Canonical order.** `height(genesis) = 0` and `height(e) = 1 + max(height(p))` over `e`'s parents; events are
/// sorted by `(height, id)`, a topological order that every clone computes alike for the same set of events, whatever
/// order the files were found in. Internally every event is known by its position in that order; a parent's position
/// is always smaller than its child's, which is what bounds ancestry searches (``isAncestor(_:of:)``).
///
/// **Equivocation.** An author's events must form one chain: each is an ancestor of the next. The graph walks each
/// author's events in canonical order keeping the author's *tips* (its events that no later own event seen so far
/// descends from). Each new event `e` drops the tips it descends from; every remaining tip `t` is neither an ancestor
/// of `e` (just checked) nor a descendant (its position is smaller), so `(t, e)` is reported as an equivocation.
/// Every reported pair is signed proof of a fork, and every fork is witnessed: for any two of an author's events `x`
/// and `y` neither of which descends from the other (with `y` later in canonical order), a pair `(t, y)` is reported
/// where `t` is `x` or one of the author's events descending from `x`. A linear author costs O(1) per event (its
/// `previous` is its single tip, an ancestry already checked); a member who signed `k` branches costs up to `k`
/// ancestry searches per event and yields about one pair per event per other live branch, not one per pair of events
/// (at most ``maximumEquivocationsPerAuthor`` per author key: the list stops there for that author).
/// Two events with the same `previous` are a fork unless one descends from the other (a `previous` that skips an own
/// event it descends from is not an equivocation: the two are ordered).
public struct EventGraph: Sendable {
    /// The events in canonical order (made on first use for a graph restored from a fold snapshot).
    public var events: Events { Events(graph: self) }
    /// The ids in canonical order: by `(height, id)`.
    public private(set) var canonicalOrder: [EventID]
    /// The events that are no event's parent, sorted by id.
    public private(set) var heads: [EventID]
    /// Pairs of events of one author key where neither is an ancestor of the other, each pair in canonical order and
    /// the list sorted by the pairs' canonical positions (see the type's discussion for which pairs are listed).
    public private(set) var equivocations: [(EventID, EventID)]
    /// The store id every event names.
    public let store: [UInt8]

    /// The most equivocation pairs listed for one author key: beyond that the author is long proven to equivocate,
    /// and listing more would cost time quadratic in the number of its branches.
    public static let maximumEquivocationsPerAuthor = 10_000

    /// The events of a graph in canonical order, by position.
    public struct Events: RandomAccessCollection, Sendable {
        fileprivate let graph: EventGraph
        /// 0.
        public var startIndex: Int { 0 }
        /// The number of events.
        public var endIndex: Int { graph.count }
        /// The event at canonical position `position`.
        public subscript(position: Int) -> Event { graph.event(at: position) }
    }

    /// The canonical position of each id.
    private var index: EventIndex
    private var heights: [Int]
    /// The parents' canonical positions, in each event's (sorted-by-id) order: those of the event at `p` are
    /// `parentList[parentStarts[p]..<parentStarts[p + 1]]`.
    private var parentStarts: [Int]
    private var parentList: [Int]
    /// Ancestry shortcut: the graph cut into *runs*, paths where each event after the first has exactly one parent,
    /// its predecessor in the run (a parent continues at most one run). `runs[p]` is the position of the first event
    /// of `p`'s run: every event of the run placed at or before `p` is `p` or one of its ancestors, and the run's
    /// first event is the only one with parents outside the run. A linear history is one run.
    private var runs: [Int]
    /// Whether an event's run continues with a later event (a run continues through at most one child).
    private var continued: [Bool]
    /// The equivocation search's state per author key (see the type's discussion), kept so that events appended on
    /// top are checked without walking the whole graph again.
    private(set) var authorTips: [[UInt8]: AuthorTips]
    /// ``equivocations`` as canonical positions.
    private(set) var equivocationPositions: [(Int, Int)]
    /// The headers of the events restored from a snapshot (positions `0..<restoredCount`), if any.
    private var restored: EventHeaders?
    private var restoredCount: Int
    /// The events at positions `restoredCount...`.
    private var built: [Event]

    /// One author's equivocation search: its tips, how many pairs were reported, and whether the search stopped.
    struct AuthorTips: Equatable, Sendable {
        /// The author's events that no later own event seen so far descends from, by canonical position.
        var tips: [Int] = []
        /// How many pairs were reported for the author.
        var reported = 0
        /// Whether the search stopped (``maximumEquivocationsPerAuthor`` pairs were reported).
        var isDone = false
    }

    /// Builds and checks the graph of a store's decoded events.
    ///
    /// - Parameters:
    ///   - events: The events, in any order; an event listed twice counts once.
    ///   - store: The store id every event must name, or `nil` to take the genesis's.
    /// - Throws: ``EscrowError/Code/tampered`` (no genesis, two genesis events, an event of another store, a bad
    ///   `previous`, a cycle), ``EscrowError/Code/notFound`` (a missing parent, naming the event and the parent),
    ///   ``EscrowError/Code/malformedFile`` (a non-genesis event without parents, a genesis with parents).
    /// - Complexity: O(n log n + p) for n events and p parent links, plus one ancestry search per event whose
    ///   `previous` is not one of its parents.
    public init(events: [Event], store: [UInt8]? = nil) throws(EscrowError) {
        var unique: [EventID: Event] = [:]
        unique.reserveCapacity(events.count)
        for event in events { unique[event.id] = event }
        let sortedByID = unique.values.sorted { $0.id < $1.id }

        let genesisEvents = sortedByID.filter(\.isGenesis)
        guard let genesis = genesisEvents.first else {
            throw EscrowError(.tampered, "the store has no genesis event: it is empty or its first event was deleted")
        }
        guard genesisEvents.count == 1 else {
            let ids = genesisEvents.map(\.id.short).joined(separator: ", ")
            throw EscrowError(
                .tampered,
                "the store has \(genesisEvents.count) genesis events (\(ids)): a store has exactly one"
            )
        }
        let storeID = store ?? genesis.store
        try Self.checkShape(sortedByID, store: storeID, lookup: { unique[$0] != nil })

        // Heights by Kahn's algorithm (iterative: a chain of 100,000 events must not recurse 100,000 deep).
        let heights = try Self.assignHeights(sortedByID, oldHeight: { _ in nil })
        let (ordered, orderedHeights) = Self.canonicallySorted(sortedByID, heights: heights)
        self.init(ordered: ordered, heights: orderedHeights, store: storeID)
        try checkPrevious(from: 0)
    }

    /// Adds events (fetched by a sync) to the graph, checking only the new ones.
    ///
    /// - Parameter newEvents: Decoded events; those already in the graph are skipped.
    /// - Returns: The larger graph.
    /// - Throws: What ``init(events:store:)`` throws for the new events (a second genesis, another store, a missing
    ///   parent, a bad `previous`).
    /// - Complexity: O(n + m log m) for n events present and m new ones, plus the new events' ancestry checks.
    public func adding(_ newEvents: [Event]) throws(EscrowError) -> EventGraph {
        var unique: [EventID: Event] = [:]
        for event in newEvents where position(of: event.id) == nil { unique[event.id] = event }
        guard !unique.isEmpty else { return self }
        let sortedByID = unique.values.sorted { $0.id < $1.id }
        if let genesis = sortedByID.first(where: \.isGenesis) {
            throw EscrowError(
                .tampered,
                "event \(genesis.id.short) is a second genesis event (the store's is \(canonicalOrder[0].short)): "
                    + "a store has exactly one"
            )
        }
        try Self.checkShape(sortedByID, store: store, lookup: { unique[$0] != nil || position(of: $0) != nil })
        let newHeights = try Self.assignHeights(sortedByID, oldHeight: { position(of: $0).map { heights[$0] } })
        let (added, addedHeights) = Self.canonicallySorted(sortedByID, heights: newHeights)
        // Merge two sorted runs; a new event never sorts before the genesis (height 0).
        var ordered: [Event] = []
        var orderedHeights: [Int] = []
        ordered.reserveCapacity(count + added.count)
        orderedHeights.reserveCapacity(count + added.count)
        var (old, new) = (0, 0)
        while old < count || new < added.count {
            let takeOld: Bool
            if new == added.count {
                takeOld = true
            } else if old == count {
                takeOld = false
            } else {
                let newHeight = addedHeights[new]
                takeOld = heights[old] != newHeight ? heights[old] < newHeight : canonicalOrder[old] < added[new].id
            }
            if takeOld {
                ordered.append(event(at: old))
                orderedHeights.append(heights[old])
                old += 1
            } else {
                ordered.append(added[new])
                orderedHeights.append(addedHeights[new])
                new += 1
            }
        }
        let graph = EventGraph(ordered: ordered, heights: orderedHeights, store: store)
        try graph.checkPrevious(only: unique)
        return graph
    }

    private init(ordered: [Event], heights: [Int], store: [UInt8]) {
        built = []
        restored = nil
        restoredCount = 0
        self.heights = []
        self.store = store
        canonicalOrder = []
        index = EventIndex([])
        parentStarts = [0]
        parentList = []
        runs = []
        continued = []
        heads = []
        authorTips = [:]
        equivocationPositions = []
        equivocations = []
        built.reserveCapacity(ordered.count)
        self.heights.reserveCapacity(ordered.count)
        canonicalOrder.reserveCapacity(ordered.count)
        parentStarts.reserveCapacity(ordered.count + 1)
        runs.reserveCapacity(ordered.count)
        continued.reserveCapacity(ordered.count)
        var hasChild = [Bool](repeating: false, count: ordered.count)
        var pairs: [(Int, Int)] = []
        for (event, height) in zip(ordered, heights) {
            let position = place(event, height: height).position
            for parent in parentPositions(at: position) { hasChild[parent] = true }
            pairs += findEquivocations(at: position)
        }
        heads = ordered.indices.filter { !hasChild[$0] }.map { ordered[$0].id }.sorted()
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        equivocationPositions = pairs
        equivocations = pairs.map { (canonicalOrder[$0.0], canonicalOrder[$0.1]) }
    }

    /// Places `event` after every event of the graph: its position, height, parents and run (not its heads or
    /// equivocations).
    ///
    /// - Returns: The event's position, and the parent whose run it continues (if any).
    private mutating func place(_ event: Event, height: Int) -> (position: Int, continuedParent: Int?) {
        let position = count
        built.append(event)
        self.heights.append(height)
        canonicalOrder.append(event.id)
        index.insert(position, of: canonicalOrder)
        // Every parent is present: checkShape ran first.
        for parent in event.parents {
            if let parentPosition = self.position(of: parent) { parentList.append(parentPosition) }
        }
        parentStarts.append(parentList.count)
        let continuedParent = continueRun(at: position)
        return (position, continuedParent)
    }

    /// Appends the run of the event at `position` (the last, its parents placed): it continues its single parent's
    /// run unless another event continues it already.
    ///
    /// - Returns: The parent whose run it continues, if any.
    private mutating func continueRun(at position: Int) -> Int? {
        var continuedParent: Int?
        let start = parentStarts[position]
        if parentStarts[position + 1] - start == 1, !continued[parentList[start]] {
            let parent = parentList[start]
            continued[parent] = true
            continuedParent = parent
            runs.append(runs[parent])
        } else {
            runs.append(position)
        }
        continued.append(false)
        return continuedParent
    }

    /// The equivocation pairs `(tip, position)` that the event at `position` (the graph's last so far among its
    /// author's events) adds, updating its author's tips.
    private mutating func findEquivocations(at position: Int) -> [(Int, Int)] {
        let event = self.event(at: position)
        let previous = event.previous.flatMap { self.position(of: $0) }
        // A linear author (the common case): its only tip is the event's previous one, an ancestry already checked,
        // and the event becomes the only tip; updated in place, as the general step below would.
        if let previous, let index = authorTips.index(forKey: event.author.key), !authorTips.values[index].isDone,
            authorTips.values[index].tips.count == 1, authorTips.values[index].tips[0] == previous
        {
            authorTips.values[index].tips[0] = position
            return []
        }
        var author = authorTips[event.author.key] ?? AuthorTips()
        guard !author.isDone else { return [] }
        var pairs: [(Int, Int)] = []
        var kept: [Int] = []
        for tip in author.tips {
            // The author's previous event was checked to be an ancestor.
            if tip == previous || reaches(from: position, to: tip) { continue }
            pairs.append((tip, position))
            author.reported += 1
            // A proven equivocator's further pairs add nothing but cost (quadratic in its branches).
            if author.reported == Self.maximumEquivocationsPerAuthor {
                author.isDone = true
                break
            }
            kept.append(tip)
        }
        if !author.isDone {
            kept.append(position)
            author.tips = kept
        }
        authorTips[event.author.key] = author
        return pairs
    }

    // MARK: Appending on top

    /// What ``extend(with:recordingIn:)`` changed, to undo it with ``rollBack(to:)``.
    struct Checkpoint {
        fileprivate let count: Int
        fileprivate let heads: [EventID]
        fileprivate let authorTips: [[UInt8]: AuthorTips]
        fileprivate let equivocationPositions: [(Int, Int)]
        fileprivate let equivocations: [(EventID, EventID)]
        fileprivate var continuedParents: [Int] = []
    }

    /// The graph's current extent, to roll back to.
    ///
    /// - Returns: A checkpoint for ``rollBack(to:)``.
    func checkpoint() -> Checkpoint {
        Checkpoint(
            count: count,
            heads: heads,
            authorTips: authorTips,
            equivocationPositions: equivocationPositions,
            equivocations: equivocations
        )
    }

    /// Adds events in place when every one of them sorts after every event of the graph (events made on top of the
    /// current heads always do), with the same checks and the same result as ``adding(_:)``. Nothing changes when
    /// it returns `false` (the events do not all sort last: use ``adding(_:)``) or throws.
    ///
    /// - Parameters:
    ///   - newEvents: Decoded events; those already in the graph are skipped.
    ///   - checkpoint: What to record for ``rollBack(to:)`` (made by ``checkpoint()`` before the first extension).
    /// - Returns: Whether the events were added.
    /// - Throws: What ``adding(_:)`` throws.
    /// - Complexity: O(m log m) for m new events, plus their ancestry checks: independent of the graph's size.
    mutating func extend(with newEvents: [Event], recordingIn checkpoint: inout Checkpoint) throws(EscrowError) -> Bool
    {
        var unique: [EventID: Event] = [:]
        for event in newEvents where position(of: event.id) == nil { unique[event.id] = event }
        guard !unique.isEmpty else { return true }
        let sortedByID = unique.values.sorted { $0.id < $1.id }
        if let genesis = sortedByID.first(where: \.isGenesis) {
            throw EscrowError(
                .tampered,
                "event \(genesis.id.short) is a second genesis event (the store's is \(canonicalOrder[0].short)): "
                    + "a store has exactly one"
            )
        }
        try Self.checkShape(sortedByID, store: store, lookup: { unique[$0] != nil || position(of: $0) != nil })
        let newHeights = try Self.assignHeights(sortedByID, oldHeight: { position(of: $0).map { heights[$0] } })
        let (added, addedHeights) = Self.canonicallySorted(sortedByID, heights: newHeights)
        guard let lastHeight = heights.last, let last = canonicalOrder.last, let firstHeight = addedHeights.first,
            let first = added.first,
            firstHeight != lastHeight ? firstHeight > lastHeight : first.id > last
        else { return false }

        let start = count
        let before = Checkpoint(
            count: start,
            heads: heads,
            authorTips: authorTips,
            equivocationPositions: equivocationPositions,
            equivocations: equivocations
        )
        var continuedParents: [Int] = []
        var heads = Set(self.heads)
        for (event, height) in zip(added, addedHeights) {
            if let parent = place(event, height: height).continuedParent { continuedParents.append(parent) }
            for parent in event.parents { heads.remove(parent) }
            heads.insert(event.id)
        }
        self.heads = heads.sorted()
        do {
            // In id order, as ``adding(_:)`` checks (the same first error).
            for id in unique.keys.sorted() {
                if let position = position(of: id) { try checkPrevious(at: position) }
            }
        } catch {
            var undo = before
            undo.continuedParents = continuedParents
            rollBack(to: undo)
            throw error
        }
        var pairs: [(Int, Int)] = []
        for position in start..<count { pairs += findEquivocations(at: position) }
        if !pairs.isEmpty {
            equivocationPositions += pairs
            equivocationPositions.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            equivocations = equivocationPositions.map { (canonicalOrder[$0.0], canonicalOrder[$0.1]) }
        }
        checkpoint.continuedParents += continuedParents
        return true
    }

    /// Removes every event added since `checkpoint` by ``extend(with:recordingIn:)``: the graph is as it was.
    ///
    /// - Parameter checkpoint: A checkpoint of this graph, updated by every extension since.
    mutating func rollBack(to checkpoint: Checkpoint) {
        let removed = count - checkpoint.count
        guard removed > 0 || !checkpoint.continuedParents.isEmpty else { return }
        // A checkpoint is never older than the graph's restored part: extensions only add on top.
        assert(checkpoint.count >= restoredCount, "a checkpoint of this graph")
        for position in (checkpoint.count..<count).reversed() { index.remove(position, of: canonicalOrder) }
        built.removeLast(removed)
        heights.removeLast(removed)
        canonicalOrder.removeLast(removed)
        parentList.removeLast(parentList.count - parentStarts[checkpoint.count])
        parentStarts.removeLast(removed)
        runs.removeLast(removed)
        continued.removeLast(removed)
        for parent in checkpoint.continuedParents where parent < checkpoint.count { continued[parent] = false }
        heads = checkpoint.heads
        authorTips = checkpoint.authorTips
        equivocationPositions = checkpoint.equivocationPositions
        equivocations = checkpoint.equivocations
    }

    // MARK: Snapshots

    /// The height of the event at canonical position `position`.
    ///
    /// - Precondition: `position` is in `0..<count`.
    func height(at position: Int) -> Int { heights[position] }

    /// The canonical positions of the parents of the event at `position`, in the event's (sorted-by-id) order.
    ///
    /// - Precondition: `position` is in `0..<count`.
    func parentPositions(at position: Int) -> ArraySlice<Int> {
        parentList[parentStarts[position]..<parentStarts[position + 1]]
    }

    /// The header of the event at `position` without making the event (for a restored one).
    ///
    /// - Precondition: `position` is in `0..<count`.
    func header(at position: Int) -> (type: String, author: EventAuthor, previous: Int?, time: UTCTime) {
        if let restored, position < restoredCount {
            return (
                restored.type(at: position), restored.author(at: position), restored.previousPosition(at: position),
                restored.time(at: position)
            )
        }
        let event = built[position - restoredCount]
        return (event.type, event.author, event.previous.flatMap { self.position(of: $0) }, event.time)
    }

    /// Every id with its canonical position, sorted by id (as a fold snapshot stores them).
    func sortedEntries() -> [(id: EventID, position: Int)] { index.sortedEntries(of: canonicalOrder) }

    /// The tables a graph is restored from (``init(restoring:)``), as written in a fold snapshot.
    struct Tables {
        /// The ids, sorted.
        var sortedIDs: [EventID]
        /// Their canonical positions.
        var sortedPositions: [Int]
        /// Their heights.
        var heights: [Int]
        /// Per event, where its parents start in ``parentList``; one more entry, the list's count, at the end.
        var parentStarts: [Int]
        /// The parents' positions, in each event's (sorted-by-id) order.
        var parentList: [Int]
        /// The other header fields.
        var headers: EventHeaders
        /// The equivocation search's state per author key.
        var authorTips: [[UInt8]: AuthorTips]
        /// The equivocations, as positions.
        var equivocationPositions: [(Int, Int)]
    }

    /// A graph restored as it was written in a fold snapshot, from the checked tables of a graph built earlier:
    /// nothing is recomputed but the runs and the heads (one pass over the parents), the id index is the sorted ids
    /// as written, and no event is made until one is asked for.
    ///
    /// Every table is checked to be one a built graph has (counts, indices in range, each parent before its child,
    /// heights, canonical order, one genesis first, previous events and tips of the right author, equivocations in
    /// order), so that no lookup can trap; whether tips and equivocations are the ones the search would find is
    /// not checked (the snapshot is authenticated: only this user's process wrote it).
    ///
    /// - Parameter tables: The tables.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming the inconsistency.
    init(restoring tables: Tables) throws(EscrowError) {
        func malformed(_ what: String) -> EscrowError {
            EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
        }
        let index = try EventIndex(sortedIDs: tables.sortedIDs, positions: tables.sortedPositions)
        let ids = index.canonicalOrderOfSortedPart
        let count = ids.count
        let headers = tables.headers
        guard count > 0 else { throw malformed("no events") }
        guard tables.heights.count == count, tables.parentStarts.count == count + 1, headers.count == count,
            headers.authorIndices.count == count, headers.previous.count == count, headers.times.count == count,
            tables.parentStarts[0] == 0, tables.parentStarts[count] == tables.parentList.count
        else { throw malformed("the graph's tables differ in length") }
        let isGenesisType = headers.types.map { $0 == Event.genesisType }
        for position in 0..<count {
            let type = Int(headers.typeIndices[position])
            let author = Int(headers.authorIndices[position])
            guard type >= 0, type < headers.types.count, author >= 0, author < headers.authors.count else {
                throw malformed("an index is out of range")
            }
            guard isGenesisType[type] == (position == 0) else {
                throw malformed("the genesis is not the first event, or not the only one")
            }
            let start = tables.parentStarts[position]
            let end = tables.parentStarts[position + 1]
            guard start <= end, end <= tables.parentList.count else { throw malformed("a parent list is out of range") }
            guard (start == end) == (position == 0) else { throw malformed("an orphan event") }
            var height = 0
            for parent in tables.parentList[start..<end] {
                guard parent >= 0, parent < position else { throw malformed("a parent does not precede its child") }
                height = max(height, tables.heights[parent] + 1)
            }
            guard tables.heights[position] == height else { throw malformed("a height is wrong") }
            if position > 0 {
                let (before, here) = (tables.heights[position - 1], tables.heights[position])
                guard before != here ? before < here : ids[position - 1] < ids[position] else {
                    throw malformed("the events are not in canonical order")
                }
            }
            guard headers.previous[position] >= -1 else { throw malformed("a previous event is out of range") }
            if let previous = headers.previousPosition(at: position) {
                guard previous < position,
                    headers.authorIndices[previous] == headers.authorIndices[position]
                        || headers.author(at: previous).key == headers.author(at: position).key
                else { throw malformed("a previous event is out of range or of another author") }
            }
        }
        for (key, author) in tables.authorTips {
            guard !author.tips.isEmpty || author.isDone, author.reported >= 0,
                author.reported <= Self.maximumEquivocationsPerAuthor,
                author.tips.allSatisfy({ $0 >= 0 && $0 < count && headers.author(at: $0).key == key })
            else { throw malformed("an author's tips are out of range") }
        }
        var last = (-1, -1)
        for pair in tables.equivocationPositions {
            guard pair.0 >= 0, pair.0 < pair.1, pair.1 < count, last.0 != pair.0 ? last.0 < pair.0 : last.1 < pair.1
            else { throw malformed("an equivocation is out of range or order") }
            last = pair
        }

        store = headers.store
        canonicalOrder = ids
        heights = tables.heights
        parentStarts = tables.parentStarts
        parentList = tables.parentList
        restored = headers
        restoredCount = count
        built = []
        authorTips = tables.authorTips
        equivocationPositions = tables.equivocationPositions
        equivocations = tables.equivocationPositions.map { (ids[$0.0], ids[$0.1]) }
        self.index = index
        heads = []
        runs = []
        continued = []
        runs.reserveCapacity(count)
        continued.reserveCapacity(count)
        var hasChild = [Bool](repeating: false, count: count)
        for position in 0..<count {
            _ = continueRun(at: position)
            for parent in parentPositions(at: position) { hasChild[parent] = true }
        }
        heads = (0..<count).filter { !hasChild[$0] }.map { ids[$0] }.sorted()
    }

    // MARK: Queries

    /// The genesis event.
    public var genesis: Event {
        // A graph always holds its genesis, at position 0.
        event(at: 0)
    }

    /// The number of events.
    public var count: Int { canonicalOrder.count }

    /// The event at canonical position `position`.
    ///
    /// - Precondition: `position` is in `0..<count`.
    func event(at position: Int) -> Event {
        guard let restored, position < restoredCount else { return built[position - restoredCount] }
        return restored.event(
            at: position,
            id: canonicalOrder[position],
            parents: { parentPositions(at: position).map { canonicalOrder[$0] } },
            previousID: restored.previousPosition(at: position).map { canonicalOrder[$0] }
        )
    }

    /// The canonical position of `id`, if present.
    private func position(of id: EventID) -> Int? { index.position(of: id, in: canonicalOrder) }

    /// The author key of the event at `position`.
    private func authorKey(at position: Int) -> [UInt8] {
        guard let restored, position < restoredCount else { return built[position - restoredCount].author.key }
        return restored.author(at: position).key
    }

    /// The event with id `id`, if present.
    ///
    /// - Parameter id: An event id.
    /// - Returns: The event, or `nil`.
    public func event(_ id: EventID) -> Event? {
        position(of: id).map { event(at: $0) }
    }

    /// Whether the graph holds the event `id`.
    ///
    /// - Parameter id: An event id.
    /// - Returns: `true` if present.
    public func contains(_ id: EventID) -> Bool { position(of: id) != nil }

    /// The height of an event: 0 for the genesis, one more than its highest parent otherwise.
    ///
    /// - Parameter id: An event id.
    /// - Returns: The height, or `nil` if the event is not in the graph.
    public func height(of id: EventID) -> Int? {
        position(of: id).map { heights[$0] }
    }

    /// Whether `ancestor` is a strict ancestor of `descendant` (reachable through parent links; an event is not its
    /// own ancestor).
    ///
    /// - Parameters:
    ///   - ancestor: The candidate ancestor.
    ///   - descendant: The candidate descendant.
    /// - Returns: `false` also when either event is not in the graph.
    /// - Complexity: A depth-first search from `descendant` that never enters an event placed before `ancestor` in
    ///   canonical order (no such event can descend from it): O(a + p) time and O(a) memory for the a ancestors of
    ///   `descendant` placed after `ancestor` and their p parent links; O(1) when `ancestor` is placed after
    ///   `descendant` or is one of its parents. In a store of 100,000 events a query about recent events visits only
    ///   the recent part of the graph.
    public func isAncestor(_ ancestor: EventID, of descendant: EventID) -> Bool {
        guard let target = position(of: ancestor), let start = position(of: descendant) else { return false }
        return reaches(from: start, to: target)
    }

    /// Every strict ancestor of an event.
    ///
    /// - Parameter id: An event id.
    /// - Returns: The ancestors in canonical order (empty for the genesis or an unknown id).
    /// - Complexity: O(a + p) for the a ancestors and their p parent links.
    public func ancestors(of id: EventID) -> [EventID] {
        guard let start = position(of: id) else { return [] }
        var seen = Set<Int>()
        var stack = Array(parentPositions(at: start))
        while let position = stack.popLast() {
            guard seen.insert(position).inserted else { continue }
            stack.append(contentsOf: parentPositions(at: position))
        }
        return seen.sorted().map { canonicalOrder[$0] }
    }

    private func reaches(from start: Int, to target: Int) -> Bool {
        guard target < start else { return false }
        if parentList[parentStarts[start]..<parentStarts[start + 1]].contains(target) { return true }
        var seen = Set<Int>()
        var stack = [start]
        while let position = stack.popLast() {
            // The run from its first event up to `position` is ancestry; only its first event leaves the run.
            let first = runs[position]
            if runs[target] == first, target <= position { return true }
            for slot in parentStarts[first]..<parentStarts[first + 1] {
                let parent = parentList[slot]
                if parent == target { return true }
                // Nothing placed before the target descends from it.
                if parent > target, seen.insert(parent).inserted { stack.append(parent) }
            }
        }
        return false
    }

    // MARK: Checks

    private static func describe(_ event: Event) -> String {
        "event \(event.id.short) (\(event.type) by \(event.author.name))"
    }

    /// Genesis shape, parents, store id.
    private static func checkShape(
        _ events: [Event],
        store: [UInt8],
        lookup: (EventID) -> Bool
    ) throws(EscrowError) {
        for event in events {
            if event.isGenesis {
                guard event.parents.isEmpty, event.previous == nil else {
                    throw EscrowError(
                        .malformedFile,
                        "\(describe(event)) is a genesis event with parents or a previous event: a genesis has none"
                    )
                }
            } else if event.parents.isEmpty {
                throw EscrowError(
                    .malformedFile,
                    "\(describe(event)) has no parents: only the genesis event may have none"
                )
            }
            guard event.store == store else {
                throw EscrowError(
                    .tampered,
                    "\(describe(event)) belongs to store \(Hex.encode(event.store)), not to this store "
                        + "\(Hex.encode(store)): it was copied from another store"
                )
            }
            for parent in event.parents where !lookup(parent) {
                throw EscrowError(
                    .notFound,
                    "\(describe(event)) names parent \(parent.short), which is not in the store: "
                        + "the store is incomplete (sync it) or an event was deleted"
                )
            }
        }
    }

    /// The heights of `events` (a genesis among them gets 0), in the same order; the heights of parents outside
    /// `events` come from `oldHeight`.
    private static func assignHeights(
        _ events: [Event],
        oldHeight: (EventID) -> Int?
    ) throws(EscrowError) -> [Int] {
        var index: [EventID: Int] = [:]
        index.reserveCapacity(events.count)
        for (position, event) in events.enumerated() { index[event.id] = position }
        var heights = [Int](repeating: -1, count: events.count)
        var waiting = [Int](repeating: 0, count: events.count)
        var children = [[Int]](repeating: [], count: events.count)
        var ready: [Int] = []
        for (position, event) in events.enumerated() {
            var base = 0
            for parent in event.parents {
                if let parentPosition = index[parent] {
                    waiting[position] += 1
                    children[parentPosition].append(position)
                } else {
                    // checkShape ensured that every parent outside `events` is known.
                    base = max(base, 1 + (oldHeight(parent) ?? 0))
                }
            }
            heights[position] = base
            if waiting[position] == 0 { ready.append(position) }
        }
        var assigned = 0
        while let position = ready.popLast() {
            assigned += 1
            for child in children[position] {
                heights[child] = max(heights[child], heights[position] + 1)
                waiting[child] -= 1
                if waiting[child] == 0 { ready.append(child) }
            }
        }
        guard assigned == events.count else {
            let stuck = events.indices.filter { waiting[$0] > 0 }.prefix(5).map { events[$0].id.short }
            throw EscrowError(
                .tampered,
                "events \(stuck.joined(separator: ", ")) are their own ancestors (a cycle): the store is corrupt"
            )
        }
        return heights
    }

    /// `events` sorted by `(height, id)`, with their heights.
    private static func canonicallySorted(_ events: [Event], heights: [Int]) -> ([Event], [Int]) {
        let order = events.indices.sorted { lhs, rhs in
            heights[lhs] != heights[rhs] ? heights[lhs] < heights[rhs] : events[lhs].id < events[rhs].id
        }
        return (order.map { events[$0] }, order.map { heights[$0] })
    }

    private func checkPrevious(from start: Int) throws(EscrowError) {
        for position in start..<count { try checkPrevious(at: position) }
    }

    private func checkPrevious(only new: [EventID: Event]) throws(EscrowError) {
        for id in new.keys.sorted() {
            if let position = position(of: id) { try checkPrevious(at: position) }
        }
    }

    private func checkPrevious(at position: Int) throws(EscrowError) {
        let event = self.event(at: position)
        guard let previous = event.previous else { return }
        guard let previousPosition = self.position(of: previous) else {
            throw EscrowError(
                .notFound,
                "\(Self.describe(event)) names its author's previous event \(previous.short), which is not in the store"
            )
        }
        guard authorKey(at: previousPosition) == event.author.key else {
            throw EscrowError(
                .tampered,
                "\(Self.describe(event)) names as its author's previous event \(previous.short), "
                    + "which another key signed"
            )
        }
        guard reaches(from: position, to: previousPosition) else {
            throw EscrowError(
                .tampered,
                "\(Self.describe(event)) names as its author's previous event \(previous.short), "
                    + "which is not among its ancestors"
            )
        }
    }
}
