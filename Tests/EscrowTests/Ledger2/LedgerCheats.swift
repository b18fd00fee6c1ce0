import Shamir
import Sodium
import Testing

@testable import Escrow

/// What a dishonest custodian can make with its own key: validly signed events with wrong values.
enum LedgerCheats {
    /// Replaces `honest`'s contributions by sub-shares of a random value for `entry` (digests and seals correct, so
    /// only the key commitment can tell), signed by `cheat`.
    static func shiftingContribution(_ honest: Event, entry: String, ledger: Ledger, by cheat: CustodianIdentity)
        throws -> Event
    {
        let body = try EventBody.decode(ApprovalBody.self, of: honest)
        let request = try #require(ledger.state.requests[try EventID(bytes: body.request.bytes)])
        let target = try #require(request.body.targets.first)
        let policy = try #require(target.policy)
        let vault = try #require(ledger.state.vault(target.vault))
        let version = try #require(vault.entries[entry]?.last)
        let x = try #require(version.x(ofHolder: cheat.publicIdentity.signingKey))
        var random = try deterministicRandom(77)
        let subShares = try Redistributor.subShare(
            components: [ShareComponent(path: [], value: SecureBytes.random(count: 32))],
            contributorX: x,
            newThreshold: policy.threshold,
            newHolders: policy.custodians.map(\.x),
            using: &random
        )
        let sealer = ShareSealer()
        let held = HeldShares(graph: ledger.graph, state: ledger.state)
        var records: [SealedComponentRecord] = []
        for custodian in policy.custodians {
            let boxKey = try #require(ledger.state.members[custodian.key.bytes]).identity.boxPublicKey()
            for component in subShares[custodian.x] ?? [] {
                let position = try SharePosition(
                    binding: try held.binding(of: version, in: vault.reference),
                    generation: vault.generation + 1,
                    resplit: request.event.bytes,
                    path: component.path,
                    x: custodian.x
                )
                let sealed = try component.value.withUnsafeBytes { value in
                    try sealer.sealComponent(value, position: position, recipientBoxKey: boxKey)
                }
                records.append(
                    SealedComponentRecord(
                        x: custodian.x,
                        path: sealed.path,
                        sealed: sealed.sealed,
                        digest: sealed.digest
                    )
                )
            }
        }
        let cheated = ApprovalBody(
            request: body.request.bytes,
            ephemeralKey: sealer.ephemeralPublicKey,
            shares: [],
            contributions: [Contribution(version: version.id, levels: [], components: records)]
        )
        return try ledger.event(.approval, body: cheated, by: cheat, at: honest.time)
    }
}
