/// A request as folded: its approvals so far and whether it was executed.
public struct RequestState: Hashable, Sendable {
    /// The request event.
    public var event: EventID
    /// The requester.
    public var requester: String
    /// The requester's key.
    public var requesterKey: [UInt8]
    /// When it was made.
    public var time: UTCTime
    /// The request itself.
    public var body: RequestBody
    /// Valid approval events in canonical order, by approver key (one per approver: the first).
    public var approvals: [[UInt8]: EventID]
    /// Custody acknowledgements of custodians the re-split adds, by key.
    public var acknowledged: Set<[UInt8]>
    /// The execution that took effect, if any.
    public var execution: EventID?
}
