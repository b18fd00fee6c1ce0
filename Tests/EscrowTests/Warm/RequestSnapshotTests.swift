import Sodium
import Testing

@testable import Escrow

/// Request bodies in the fold snapshot are written field by field (a bulk re-split's body was JSON decoded through
/// `Codable` at every warm open): random bodies — with and without policies, recipients and challenges, and with a
/// target policy out of x order, which only the JSON form restores exactly — read back equal.
@Suite struct RequestSnapshotTests {
    static func randomBody(_ random: inout LedgerSplitMix, round: Int) -> RequestBody {
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        func name(_ prefix: String) -> String { "\(prefix)-\(random.next() % 1_000)" }
        let policies = (0..<3).map { index -> PolicyRecord in
            let count = 2 + Int(random.next() % 5)
            var custodians = (0..<count).map { x in
                PolicyRecord.Custodian(name: "c\(x)", key: bytes(32), x: UInt8(x + 1))
            }
            var policy = PolicyRecord(threshold: 2, custodians: custodians)
            if index == 2, round % 4 == 0 {
                // Out of x order: as a hostile or foreign writer might have listed them (the initializer sorts).
                custodians.reverse()
                policy.custodians = custodians
            }
            return policy
        }
        let targets = (0..<Int(random.next() % 7)).map { _ in
            RequestTarget(
                vault: VaultReference(id: bytes(16), name: name("vault")),
                generation: Int64(random.next() % 5) + 1,
                versions: (0..<Int(random.next() % 4)).map { _ in bytes(16) },
                policy: random.next() % 3 == 0 ? nil : policies[Int(random.next() % 3)]
            )
        }
        return RequestBody(
            request: bytes(16),
            action: RequestAction.allCases[Int(random.next() % UInt64(RequestAction.allCases.count))],
            targets: targets,
            recipient: random.next() % 2 == 0 ? nil : RequestRecipient(name: name("customer é"), key: bytes(32)),
            reason: name("because\u{1}\"\\"),
            expiresAt: UTCTime(secondsSinceEpoch: Int64(random.next() % 4_000_000_000)),
            force: random.next() % 2 == 0,
            challenges: (0..<Int(random.next() % 3)).map { _ in
                CustodyChallenge(key: bytes(32), sealed: bytes(Int(random.next() % 90)), check: bytes(32))
            }
        )
    }

    @Test func randomRequestBodiesReadBackEqual() throws {
        let fixture = try LedgerFixture()
        var random = LedgerSplitMix(seed: 0x0BAD)
        var state = fixture.ledger.state
        var outOfOrder = 0
        for round in 0..<40 {
            state.requests = [:]
            for index in 0..<Int(random.next() % 4) + 1 {
                let body = Self.randomBody(&random, round: round)
                if body.targets.contains(where: { $0.policy?.custodians.first?.x != 1 && $0.policy != nil }) {
                    outOfOrder += 1
                }
                let id = EventID.hashing([UInt8(round), UInt8(index)])
                state.requests[id] = RequestState(
                    event: id,
                    requester: "alice",
                    requesterKey: Array(repeating: UInt8(index), count: 32),
                    time: UTCTime(secondsSinceEpoch: 1_800_000_000 + Int64(round)),
                    body: body,
                    approvals: index == 0 ? [:] : [Array(repeating: 7, count: 32): id],
                    acknowledged: index == 1 ? [Array(repeating: 9, count: 32)] : [],
                    execution: index == 2 ? id : nil
                )
            }
            var writer = SnapshotWriter(interning: true)
            writer.state(state)
            var reader = SnapshotReader(writer.tables() + writer.bytes)
            try reader.readTables()
            let restored = try reader.state()
            #expect(reader.isAtEnd)
            #expect(restored.requests == state.requests, "round \(round)")
        }
        #expect(outOfOrder > 0)
    }
}
