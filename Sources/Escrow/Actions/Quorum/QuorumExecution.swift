/// What the fold knows when it applies an execution to each target.
struct QuorumExecution {
    /// The request executed.
    let request: RequestState
    /// The execution body.
    let body: ExecutionBody
    /// The approvals it cites, decoded, by approver key.
    let approvals: [[UInt8]: (id: EventID, entry: DecodedApprovals.Entry)]
}
