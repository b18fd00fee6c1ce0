/// The values one approver contributes to a request (see ``QuorumAction/contribute(_:as:random:)``).
struct ApprovalContents {
    /// Per version: the approver's shares re-sealed to the recipient.
    var shares: [VersionComponents] = []
    /// Per version: the approver's sub-shares for the new custodians.
    var contributions: [Contribution] = []
    /// The JSON of each contribution (``Contribution/fragment()``), when the workers that made them wrote it (the
    /// bulk path); empty otherwise.
    var contributionFragments: [JSONFragment] = []

    /// Whether the approval carries any value.
    var isEmpty: Bool { shares.isEmpty && contributions.isEmpty }
}
