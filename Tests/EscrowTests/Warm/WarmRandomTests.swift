import Sodium
import Testing

@testable import Escrow

/// Random histories: after every step, a warm open (snapshot refreshed past a small threshold, so that both the
/// on-top fold and the rewrite are exercised) gives exactly the fold of a cold open; events planted among the covered
/// ones, equivocations and refused events included.
@Suite("Warm open on random histories", .serialized)
struct WarmRandomTests {
    @Test(arguments: [11, 29] as [UInt64])
    func warmEqualsColdAfterEveryStep(seed: UInt64) throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("robot", role: .depositor)
        let cache = FoldCache(directory: fixture.directory.file("state"), refreshThreshold: 3)
        var random = LedgerSplitMix(seed: seed)
        let custodians = LedgerFixture.names
        var pending: [EventID] = []
        var kinds: [Ledger.OpenKind] = []
        for step in 0..<24 {
            let custodian = custodians[Int(random.next() % UInt64(custodians.count))]
            switch random.next() % 6 {
            case 0:
                try fixture.deposit("v\(step)", into: "acme", entry: "e\(step % 4)", kind: .password, by: custodian)
            case 1:
                // A request, approved later.
                let request = try fixture.ledger.request(
                    .open,
                    targets: [try fixture.ledger.versionsTarget(vault: "acme", entries: ["root-password"])],
                    recipient: RequestRecipient(name: "alice (request key)", key: BoxKeyPair().publicKey),
                    reason: "step \(step)",
                    expiresAt: UTCTime(secondsSinceEpoch: 1_790_000_000),
                    by: fixture.person("alice"),
                    at: fixture.now()
                )
                try fixture.ledger.append([request])
                pending.append(request.id)
            case 2:
                if let request = pending.randomElement(using: &random) {
                    _ = try? fixture.ledger.append([
                        try fixture.ledger.approve(
                            request,
                            by: fixture.person(custodian),
                            at: fixture.now(),
                            random: &fixture.random
                        )
                    ])
                }
            case 3:
                try fixture.appendEquivocation()
            case 4:
                // An event on old heads by a non-member: it sorts among the covered events (a cold open follows),
                // the fold refuses it (a finding), and two of them are an equivocation.
                let old = fixture.ledger.graph.canonicalOrder[fixture.ledger.graph.count / 2]
                let planted = try Event.make(
                    store: fixture.ledger.state.storeID,
                    type: "attempt",
                    author: fixture.person("gina"),
                    parents: [old],
                    previous: nil,
                    time: fixture.now(),
                    body: .object([:])
                )
                try fixture.ledger.directory.write(planted)
            default:
                // A depositor's deposit (robot's role allows nothing else).
                try fixture.deposit("r\(step)", into: "acme", entry: "robot-\(step)", kind: .password, by: "robot")
            }
            let (warm, kind) = try Ledger.openReporting(at: fixture.path, cache: cache)
            warm.saveSnapshotIfDue(to: cache)
            kinds.append(kind)
            expectSameLedger(warm, try fixture.reopen())
        }
        #expect(kinds.contains { if case .warm(let read) = $0 { return read > 0 } else { return false } })
        #expect(kinds.contains(.cold))
    }
}
