import Testing

@testable import Escrow

/// Roster changes in the quorum-action shape: the proposal checked before signing, the endorsement quorum, the
/// problems against the folded roster.
@Suite struct RosterChangeTests {
    /// The fold's refusal of `change` (nil when it applies).
    private func refusal(_ change: RosterBody, in state: LedgerState) -> String? {
        do {
            try RosterChange.checkQuorum(change, in: state)
            _ = try RosterChange.check(change, in: state, event: state.rosterHead)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func theProposalIsCheckedBeforeAnyoneSigns() throws {
        let fixture = try LedgerFixture(withVault: false)
        let state = fixture.ledger.state
        let bob = MemberRecord(fixture.person("bob").publicIdentity, role: .custodian)
        let error = expectEscrowError(.alreadyExists) {
            _ = try RosterChange.proposal(add: [bob], remove: [], quorum: nil, in: state)
        }
        #expect(error?.message == "the name 'bob' is taken in this store")
        let quorum = expectEscrowError(.invalidInput) {
            _ = try RosterChange.proposal(add: [], remove: [], quorum: 0, in: state)
        }
        #expect(quorum?.message == "the roster quorum must be between 1 and 255, not 0")
        #expect(RosterChange.endorsementsNeeded(quorum: 2, custodians: 5) == 2)
        #expect(RosterChange.endorsementsNeeded(quorum: 9, custodians: 5) == 5)
    }

    @Test func theFoldRefusesAChangeShortOfEndorsementsOrAgainstTheRoster() throws {
        let fixture = try LedgerFixture(withVault: false)
        let state = fixture.ledger.state
        let frank = MemberRecord(fixture.person("frank").publicIdentity, role: .custodian)
        var change = try RosterChange.proposal(add: [frank], remove: [], quorum: nil, in: state)
        change.approvals = [try RosterChange.endorse(change, by: fixture.person("alice"), in: state)]
        #expect(refusal(change, in: state) == "1 of the 2 custodian endorsements a roster change needs")
        change.approvals.append(try RosterChange.endorse(change, by: fixture.person("bob"), in: state))
        #expect(refusal(change, in: state) == nil)

        var stale = change
        stale.base = HexBytes(state.genesis.bytes)
        #expect(refusal(stale, in: state)?.hasPrefix("proposed against roster ") == true)

        var twice = try RosterChange.proposal(add: [], remove: ["erin"], quorum: nil, in: state)
        twice.remove.append(twice.remove[0])
        twice.approvals = try ["alice", "bob"].map {
            try RosterChange.endorse(twice, by: fixture.person($0), in: state)
        }
        #expect(refusal(twice, in: state) == "removes a key that is not a member")
    }
}
