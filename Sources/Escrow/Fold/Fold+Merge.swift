extension Fold {
    /// Folds every event of `graph` from scratch, in canonical order (a cold open).
    ///
    /// - Parameters:
    ///   - graph: A structurally verified graph (hashes, signatures, parents).
    ///   - approvals: Approval bodies already decoded (events never change, so any earlier decoding can be shared).
    ///   - bodies: Bodies decoded ahead (``DecodedBodies``): the result is the same with or without them.
    init(folding graph: EventGraph, approvals: DecodedApprovals = DecodedApprovals(), bodies: DecodedBodies? = nil) {
        self.init(graph: graph, approvals: approvals)
        decodedBodies = bodies
        for id in graph.canonicalOrder {
            if let event = graph.event(id) { apply(event) }
        }
        decodedBodies = nil
        noteEquivocations()
    }

    /// Verified events added to the graph by ``addToGraph(_:)`` and not yet folded.
    enum PendingMerge {
        /// The events sort after every event folded so far: they were added in place from `start` on.
        case onTop(start: Int, checkpoint: EventGraph.Checkpoint)
        /// Some event sorts inside the folded prefix: the larger graph, to fold from scratch.
        case refold(EventGraph)
    }

    /// Adds events received from elsewhere (a sync) to the graph, checking them as ``EventGraph/adding(_:)`` does,
    /// without folding them yet: ``finishMerge(_:)`` folds them, ``cancelMerge(_:)`` takes them out again.
    ///
    /// - Parameter events: Decoded, verified events (those already present are skipped).
    /// - Returns: What to finish or cancel.
    /// - Throws: What ``EventGraph/adding(_:)`` throws; nothing changed then.
    /// - Complexity: O(m log m) for m events sorting after the graph's last event; O(n + m log m) otherwise.
    mutating func addToGraph(_ events: [Event]) throws(EscrowError) -> PendingMerge {
        precondition(journal == nil, "a trial is running")
        let start = graph.count
        var checkpoint = graph.checkpoint()
        if try graph.extend(with: events, recordingIn: &checkpoint) {
            return .onTop(start: start, checkpoint: checkpoint)
        }
        return .refold(try graph.adding(events))
    }

    /// Takes the events of ``addToGraph(_:)`` out of the graph again.
    ///
    /// - Parameter pending: What ``addToGraph(_:)`` returned.
    mutating func cancelMerge(_ pending: PendingMerge) {
        if case .onTop(_, let checkpoint) = pending { graph.rollBack(to: checkpoint) }
    }

    /// Folds the events of ``addToGraph(_:)``: on top of the state when they all sort after its last event (the
    /// same steps as folding them in canonical order from scratch), else by folding the larger graph from scratch
    /// in memory (no file is read again). Either way the result is the one a cold open of the union gives.
    ///
    /// - Parameter pending: What ``addToGraph(_:)`` returned.
    /// - Complexity: O(m) folding steps for m events on top; O(n) otherwise.
    mutating func finishMerge(_ pending: PendingMerge) {
        switch pending {
        case .onTop(let start, _):
            for position in start..<graph.count { apply(graph.events[position]) }
            if graph.equivocations.count != equivocationFindingCount { noteEquivocations() }
        case .refold(let larger):
            let files = self.files
            self = Fold(folding: larger, approvals: approvals)
            self.files = files
        }
    }
}
