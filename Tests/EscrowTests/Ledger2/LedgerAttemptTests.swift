import Sodium
import Testing

@testable import Escrow

/// Refused quorum attempts published as `attempt` events, and expired requests in the audit.
@Suite struct LedgerAttemptTests {
    private func record(
        _ time: UTCTime,
        request: EventID?,
        outcome: AttemptOutcome = .refused,
        detail: String = "request is not approved yet",
        command: String = "unlock open"
    ) -> AttemptRecord {
        AttemptRecord(time: time, command: command, request: request?.bytes, outcome: outcome, detail: detail)
    }

    @Test func publishedAttemptsFoldWithoutFindingsAndAuditOnePerAttempt() throws {
        let fixture = try LedgerFixture()
        let (request, _) = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: ["bob"])
        let refused = record(fixture.now(), request: request, detail: "request \(request.short) is not approved yet")
        let wrong = record(fixture.now(), request: request, outcome: .wrongPassphrase, detail: "wrong passphrase")
        let event = try fixture.ledger.attempts([refused, wrong], by: fixture.person("alice"), at: fixture.now())
        try fixture.ledger.append([event])
        let reopened = try fixture.reopen()
        #expect(reopened.state.findings.isEmpty)
        let entries = reopened.audit(AuditFilter(action: "attempt"))
        #expect(
            entries.map(\.summary) == [
                "unlock open of request \(request.short) refused: request \(request.short) is not approved yet",
                "wrong passphrase at unlock open of request \(request.short)",
            ]
        )
        #expect(entries.map(\.time) == [refused.time, wrong.time])
        #expect(entries.allSatisfy { $0.actor == "alice" && $0.vaults == ["acme"] && $0.reason == "billing dispute" })
        #expect(entries.allSatisfy { $0.event == event.id.description && $0.request == request.description })
        // The request filter finds them with the request's other events.
        let byRequest = reopened.audit(AuditFilter(request: String(request.description.prefix(8))))
        #expect(byRequest.map(\.action) == ["request", "approval", "attempt", "attempt"])
    }

    @Test func malformedOrForeignAttemptsAreRefused() throws {
        let fixture = try LedgerFixture()
        let (request, _) = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: [])
        let ledger = fixture.ledger
        func refusal(_ records: [AttemptRecord], by name: String = "alice", at time: UTCTime? = nil) throws -> String? {
            let event = try ledger.event(
                .attempt,
                body: AttemptBody(attempts: records),
                by: fixture.person(name),
                at: time ?? fixture.now()
            )
            return ledger.dryRun(event)?.message
        }
        let now = fixture.now()
        #expect(try refusal([record(now, request: request)], by: "frank") == "frank is not a member of this store")
        #expect(try refusal([]) == "an attempt event carries 1 to 100 attempts")
        #expect(
            try refusal([record(now, request: request, command: "vault put")])
                == "attempt 1 names an unknown command 'vault put'"
        )
        #expect(
            try refusal([record(now, request: request, detail: "ok\u{1B}]52;c;evil\u{07}")])
                == "attempt 1 has a control or invisible formatting character in its detail"
        )
        #expect(
            try refusal([record(now, request: request, detail: "")])
                == "attempt 1 has an empty detail or one over 400 characters"
        )
        #expect(
            try refusal([record(UTCTime(secondsSinceEpoch: now.secondsSinceEpoch + 60), request: request)], at: now)
                == "attempt 1 is dated after the event that records it"
        )
        let unknown = try EventID(bytes: Sodium.randomBytes(32))
        #expect(
            try refusal([record(now, request: request), record(now, request: unknown)])?.hasPrefix(
                "no request \(unknown.description.prefix(12))"
            ) == true
        )
        #expect(try refusal([record(now, request: request)]) == nil)
        #expect(!ledger.canPublish(record(now, request: unknown)))
        #expect(ledger.canPublish(record(now, request: request)))
        // A refused attempt event is kept out by every command: appending it throws and writes nothing.
        let bad = try ledger.event(.attempt, body: AttemptBody(attempts: []), by: fixture.person("bob"), at: now)
        let before = try fixture.reopen().graph.heads
        _ = expectEscrowError(.notAuthorized) { try ledger.append([bad]) }
        #expect(try fixture.reopen().graph.heads == before)
    }

    @Test func expiredRequestsAppearInTheAuditAtTheirExpiry() throws {
        let fixture = try LedgerFixture()
        let (lapsed, _) = try fixture.approvedOpen("acme", entries: ["root-password"], approvers: ["bob"])
        let (done, keys) = try fixture.approvedOpen(
            "acme",
            entries: ["root-mfa"],
            approvers: ["bob", "carol", "dave"]
        )
        _ = try fixture.open(done, keys: keys)
        let ledger = try fixture.reopen()
        let expiry = try #require(ledger.state.requests[lapsed]?.body.expiresAt)
        #expect(ledger.audit(AuditFilter(action: "expired")).isEmpty)  // no clock, no expiry entries
        let before = UTCTime(secondsSinceEpoch: expiry.secondsSinceEpoch - 1)
        #expect(ledger.audit(AuditFilter(action: "expired"), now: before).isEmpty)
        let later = UTCTime(secondsSinceEpoch: expiry.secondsSinceEpoch + 1)
        let entries = ledger.audit(now: later)
        let expired = entries.filter { $0.action == "expired" }
        #expect(expired.count == 1)  // the executed request never expires
        #expect(expired.first?.summary == "open request \(lapsed.short) expired unexecuted with 1 approval")
        #expect(expired.first?.time == expiry)
        #expect(expired.first?.actor == "alice")
        #expect(expired.first?.request == lapsed.description)
        // Placed by time: every entry before it is no later than the expiry.
        let index = try #require(entries.firstIndex { $0.action == "expired" })
        #expect(entries[..<index].allSatisfy { !(expiry < $0.time) })
        #expect(index == entries.count - 1)
    }
}
