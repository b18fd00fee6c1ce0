import Sodium
import Testing

@testable import Escrow

/// A v2 store with five custodians (alice founded it, roster quorum 2), optionally a 3-of-5 vault `acme` whose
/// custody every custodian acknowledged, with a password and an MFA seed deposited.
final class LedgerFixture {
    let directory: TemporaryDirectory
    let ledger: Ledger
    let people: [String: CustodianIdentity]
    private var seconds: Int64 = 1_780_000_000
    var random: StreamRandom

    static let names = ["alice", "bob", "carol", "dave", "erin"]

    init(withVault: Bool = true) throws {
        try Sodium.initialize()
        directory = try TemporaryDirectory()
        random = try deterministicRandom()
        var people: [String: CustodianIdentity] = [:]
        for name in Self.names + ["frank", "gina", "hank", "robot"] { people[name] = try identity(name) }
        self.people = people
        ledger = try Ledger.create(
            at: directory.file("store"),
            founder: try #require(people["alice"]),
            storeName: "acme-msp",
            rosterQuorum: 2,
            time: UTCTime(secondsSinceEpoch: seconds)
        )
        for name in Self.names.dropFirst() { try addMember(name, role: .custodian) }
        if withVault {
            try createVault("acme", threshold: 3, custodians: Self.names)
            try deposit("s3cret-root-password", into: "acme", entry: "root-password", kind: .password)
            try deposit("JBSWY3DPEHPK3PXP", into: "acme", entry: "root-mfa", kind: .totp)
        }
    }

    func person(_ name: String) -> CustodianIdentity {
        guard let identity = people[name] else { fatalError("no test identity \(name)") }
        return identity
    }

    var path: String { directory.file("store") }

    func now() -> UTCTime {
        seconds += 1
        return UTCTime(secondsSinceEpoch: seconds)
    }

    /// Adds a member endorsed by as many custodians as needed (alice, bob, … in order).
    func addMember(_ name: String, role: MemberRole) throws {
        let record = MemberRecord(person(name).publicIdentity, role: role)
        var change = try ledger.rosterChange(add: [record], remove: [], quorum: nil)
        try endorseAndAppend(&change)
    }

    func removeMember(_ name: String) throws {
        var change = try ledger.rosterChange(add: [], remove: [name], quorum: nil)
        try endorseAndAppend(&change, excluding: [name])
    }

    func endorseAndAppend(_ change: inout RosterBody, excluding: Set<String> = []) throws {
        let endorsers = ledger.state.custodians.map(\.identity.name).filter { !excluding.contains($0) }
            .prefix(ledger.rosterEndorsementsNeeded)
        change.approvals = try endorsers.map { try ledger.endorse(change, by: person($0)) }
        let author = person(endorsers.first ?? "alice")
        try ledger.append([try ledger.event(.roster, body: change, by: author, at: now())])
    }

    func createVault(_ name: String, threshold: Int, custodians: [String]) throws {
        let create = try ledger.createVault(
            named: name,
            metadata: ["account_id": "123456789012"],
            threshold: threshold,
            custodians: custodians,
            by: person("alice"),
            at: now()
        )
        try ledger.append([create])
        for custodian in custodians {
            try ledger.append([try ledger.acknowledgeCustody(of: create.id, by: person(custodian), at: now())])
        }
    }

    @discardableResult
    func deposit(_ value: String, into vault: String, entry: String, kind: EntryKind, by depositor: String = "alice")
        throws -> Event
    {
        let event = try ledger.deposit(
            secure(value),
            into: vault,
            entry: entry,
            kind: kind,
            by: person(depositor),
            at: now(),
            random: &random
        )
        try ledger.append([event])
        return event
    }

    /// Requests an open of `entries` of `vault` by `requester`, approved by `approvers`; returns the request and
    /// its key pair.
    func approvedOpen(_ vault: String, entries: [String], requester: String = "alice", approvers: [String]) throws
        -> (request: EventID, keys: BoxKeyPair)
    {
        let keys = BoxKeyPair()
        let request = try ledger.request(
            .open,
            targets: [try ledger.versionsTarget(vault: vault, entries: entries)],
            recipient: RequestRecipient(name: "\(requester) (request key)", key: keys.publicKey),
            reason: "billing dispute",
            expiresAt: UTCTime(secondsSinceEpoch: seconds + 3600),
            by: person(requester),
            at: now()
        )
        try ledger.append([request])
        for approver in approvers {
            try ledger.append([try ledger.approve(request.id, by: person(approver), at: now(), random: &random)])
        }
        return (request.id, keys)
    }

    /// Opens an approved request and records the execution; returns the values by entry.
    func open(_ request: EventID, keys: BoxKeyPair, requester: String = "alice") throws -> [String: String] {
        let (versions, event) = try ledger.open(request, requestKeys: keys, by: person(requester), at: now())
        try ledger.append([event])
        var values: [String: String] = [:]
        for version in versions { values[version.entry] = string(version.value) }
        return values
    }

    /// Re-splits `vault` with `approvers` contributing, executed by the first approver.
    @discardableResult
    func resplit(
        _ vault: String,
        remove: [String] = [],
        add: [String] = [],
        threshold: Int? = nil,
        approvers: [String]
    ) throws -> EventID {
        let request = try ledger.request(
            .resplit,
            targets: [try ledger.resplitTarget(vault: vault, remove: remove, add: add, threshold: threshold)],
            recipient: nil,
            reason: "custodian change",
            expiresAt: UTCTime(secondsSinceEpoch: seconds + 3600),
            by: person(approvers[0]),
            at: now()
        )
        try ledger.append([request])
        for name in add {
            try ledger.append([try ledger.acknowledgeCustody(of: request.id, by: person(name), at: now())])
        }
        for approver in approvers {
            try ledger.append([try ledger.approve(request.id, by: person(approver), at: now(), random: &random)])
        }
        try ledger.append([try ledger.execute(request.id, by: person(approvers[0]), at: now())])
        return request.id
    }

    /// Re-reads the store from disk.
    func reopen() throws -> Ledger { try Ledger.open(at: path) }
}

extension LedgerFixture {
    /// Two deposits by bob on the same heads: an equivocation, noted last by the fold.
    func appendEquivocation() throws {
        let heads = ledger.graph.heads
        let bob = person("bob")
        let previous = ledger.state.latestByAuthor[bob.publicIdentity.signingKey]
        let branches = try ["x", "y"].map { entry in
            let made = try ledger.deposit(
                secure(entry),
                into: "acme",
                entry: entry,
                kind: .password,
                by: bob,
                at: now(),
                random: &random
            )
            return try Event.make(
                store: ledger.state.storeID,
                type: made.type,
                author: bob,
                parents: heads,
                previous: previous,
                time: made.time,
                body: made.body
            )
        }
        try ledger.append(branches)
    }
}
