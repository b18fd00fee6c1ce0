import Sodium
import Testing

@testable import Escrow

/// The fold refuses approvals of an open whose re-sealed shares do not have the shape the request and the holder's
/// position call for (no secret is needed to see it), so they never count towards a quorum.
@Suite struct LedgerApprovalShapeTests {
    /// Bob's honest approval body of an open of both entries of acme, and the request.
    private func honest(_ fixture: LedgerFixture) throws -> (request: EventID, body: ApprovalBody) {
        let keys = BoxKeyPair()
        let request = try fixture.ledger.request(
            .open,
            targets: [try fixture.ledger.versionsTarget(vault: "acme", entries: ["root-password", "root-mfa"])],
            recipient: RequestRecipient(name: "alice (request key)", key: keys.publicKey),
            reason: "billing dispute",
            expiresAt: UTCTime(secondsSinceEpoch: fixture.now().secondsSinceEpoch + 3600),
            by: fixture.person("alice"),
            at: fixture.now()
        )
        try fixture.ledger.append([request])
        let approval = try fixture.ledger.approve(
            request.id,
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random
        )
        #expect(fixture.ledger.dryRun(approval) == nil)
        return (request.id, try EventBody.decode(ApprovalBody.self, of: approval))
    }

    private func refusal(_ body: ApprovalBody, _ fixture: LedgerFixture) throws -> String? {
        let event = try fixture.ledger.event(.approval, body: body, by: fixture.person("bob"), at: fixture.now())
        return fixture.ledger.dryRun(event)?.message
    }

    @Test func leftOutRepeatedForeignAndMovedSharesAreRefused() throws {
        let fixture = try LedgerFixture()
        let (_, body) = try honest(fixture)
        #expect(body.shares.count == 2)
        let password = try #require(fixture.ledger.state.vault(named: "acme")?.entries["root-password"]?.last)
        let passwordIndex = try #require(body.shares.firstIndex { $0.version.bytes == password.id })

        var leftOut = body
        leftOut.shares.remove(at: passwordIndex)
        #expect(try refusal(leftOut, fixture) == "the approval leaves out root-password (acme), which its author holds")

        var repeated = body
        repeated.shares.append(body.shares[passwordIndex])
        #expect(try refusal(repeated, fixture) == "the approval carries root-password (acme) twice")

        var foreign = body
        let stranger = Sodium.randomBytes(16)
        foreign.shares.append(VersionComponents(version: stranger, components: body.shares[0].components))
        #expect(
            try refusal(foreign, fixture)
                == "the approval carries version \(Hex.encode(stranger).prefix(12)), which the request does not name "
                + "or its author does not hold"
        )

        var moved = body
        let bobX = try #require(password.x(ofHolder: fixture.person("bob").publicIdentity.signingKey))
        moved.shares[passwordIndex].components = moved.shares[passwordIndex].components.map { record in
            var record = record
            record.x = bobX &+ 1
            return record
        }
        #expect(
            try refusal(moved, fixture)
                == "the approval's components of root-password (acme) are not its holder's (x=\(bobX))"
        )

        var empty = body
        empty.shares[passwordIndex].components = []
        #expect(try refusal(empty, fixture)?.hasPrefix("the approval's components of root-password (acme)") == true)

        #expect(try refusal(body, fixture) == nil)  // the honest body, re-signed, still passes
    }

    @Test func aMalformedApprovalPlantedInTheStoreCountsForNothing() throws {
        let fixture = try LedgerFixture()
        let (request, body) = try honest(fixture)
        var leftOut = body
        leftOut.shares.removeLast()
        let event = try fixture.ledger.event(.approval, body: leftOut, by: fixture.person("bob"), at: fixture.now())
        _ = try fixture.ledger.directory.write([event])
        let reopened = try fixture.reopen()
        #expect(reopened.state.requests[request]?.approvals.isEmpty == true)
        #expect(reopened.state.violations.count == 1)
        #expect(reopened.state.findings.first?.message.hasPrefix("the approval leaves out ") == true)
    }
}
