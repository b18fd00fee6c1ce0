import Escrow
import Platform
import Shamir
import Sodium

/// A store in a temporary directory with `count` vaults, 3 of 5 (alice, bob, carol, dave, erin), and frank in the
/// roster; identities are in memory (no Argon2id anywhere). The vaults come from `count` key ceremonies committed in one
/// batch, so each still has its own envelope ephemeral key until the first bulk re-split.
///
/// Re-splits alternate between replacing bob by frank and frank by bob, so every run is "3 of 5 → 3 of 5 replacing
/// one custodian" and the store can be re-split any number of times. alice requests; alice, carol and dave approve.
final class BulkStore: @unchecked Sendable {
    let directory: String
    let store: Store
    let count: Int
    let people: [String: CustodianIdentity]
    private(set) var bobIsIn = true

    static let names = ["alice", "bob", "carol", "dave", "erin", "frank"]
    static let approvers = ["alice", "carol", "dave"]

    init(count: Int, durability: BatchDurability = .automatic) throws {
        try Sodium.initialize()
        self.count = count
        directory = try FileSystem.makeTemporaryDirectory(prefix: "escrow-bench-")
        var people: [String: CustodianIdentity] = [:]
        for name in Self.names { people[name] = try CustodianIdentity(name: name, email: "\(name)@example.com") }
        self.people = people
        guard let alice = people["alice"] else { throw EscrowError(.notFound, "alice") }
        store = try Store.create(at: "\(directory)/store", founder: alice).store
        store.batchDurability = durability
        for name in Self.names.dropFirst() {
            guard let identity = people[name] else { continue }
            try store.addCustodian(identity.publicIdentity, by: alice)
        }
        let custodians = try ["alice", "bob", "carol", "dave", "erin"].map { name in
            guard let identity = people[name] else { throw EscrowError(.notFound, name) }
            return identity.publicIdentity
        }
        var rng = StreamRandom()
        let now = store.clock.now
        var changes: [AuditedChange] = []
        for index in 0..<count {
            let vault = try KeyCeremony.run(
                name: String(format: "acct-%05d", index),
                threshold: 3,
                custodians: custodians,
                metadata: [:],
                writer: alice,
                time: now,
                using: &rng
            )
            changes.append(
                AuditedChange(
                    [FileChange(path: Vault.relativePath(name: vault.name), contents: try vault.encoded())],
                    action: .vaultInit,
                    vault: vault.reference,
                    reason: nil,
                    details: ["threshold": "3", "generation": "1"]
                )
            )
        }
        try store.withLock { (session) throws(EscrowError) in _ = try session.commitBatch(changes, actor: alice) }
    }

    deinit { try? FileSystem.removeTree(directory) }

    func person(_ name: String) -> CustodianIdentity {
        guard let identity = people[name] else { preconditionFailure("no identity \(name)") }
        return identity
    }

    /// The next change: bob leaves for frank, or back.
    var change: ReshareChange {
        ReshareChange(
            selection: .all,
            remove: [bobIsIn ? "bob" : "frank"],
            add: [bobIsIn ? "frank" : "bob"],
            reason: "a custodian leaves"
        )
    }

    /// A bulk request for every vault.
    func request() throws -> UnlockRequest {
        let (request, plan) = try store.makeReshareRequest(change, by: person("alice"), lifetime: 86_400)
        precondition(plan.items.count == count, "every vault must be in the request")
        return request
    }

    /// The three approvals, as files would carry them.
    func approvals(_ request: UnlockRequest) throws -> [ApprovalFile] {
        try Self.approvers.map { name in
            ApprovalFile(source: "\(name).approval", approval: try store.approve(request, by: person(name)))
        }
    }

    /// Executes a bulk request and checks that every vault moved on.
    func execute(_ request: UnlockRequest, _ approvals: [ApprovalFile]) throws -> BatchReshareOutcome {
        var rng = StreamRandom()
        let outcome = try store.executeBatchReshare(
            request,
            approvals: approvals,
            requester: person("alice"),
            using: &rng
        )
        precondition(outcome.reshared.count == count && outcome.failed.isEmpty, "every vault must be re-split")
        bobIsIn.toggle()
        return outcome
    }

    /// The naive protocol, vault by vault: one request, three approvals and one execution per vault, each with its own
    /// X25519 operations (per share), and one fsync'ed commit per vault.
    func naiveReshareOneByOne() throws {
        let alice = person("alice")
        let roster = try store.roster()
        let (leaving, joining) = bobIsIn ? ("bob", "frank") : ("frank", "bob")
        guard let joiner = roster.member(named: joining) else { preconditionFailure("no \(joining)") }
        for name in try store.vaultNames() {
            // The request (`escrow vault reshare VAULT … --out`): reads the vault, one key pair, one sealed box.
            let current = try store.vault(named: name)
            var custodians = current.policy.custodians.filter { $0.name != leaving }.map { try? $0.publicIdentity() }
                .compactMap { $0 }
            custodians.append(joiner.identity)
            let policy = VaultPolicy(
                threshold: 3,
                custodians: custodians.enumerated().map { VaultPolicy.Custodian(identity: $1, x: UInt8($0 + 1)) }
            )
            let request = try UnlockRequest.make(
                action: .reshare,
                targets: [UnlockTarget(vault: current, newPolicy: policy)],
                customer: nil,
                reason: "a custodian leaves",
                forceReason: nil,
                requester: alice,
                createdAt: store.clock.now,
                lifetime: 86_400
            )
            // Three approvals (`escrow unlock approve`): each reads the vault, one X25519 to open the envelope, one
            // fresh key pair and one X25519 to re-encrypt.
            var approvals: [UnlockApproval] = []
            for approverName in Self.approvers {
                let approver = person(approverName)
                let vault = try store.vault(named: name)
                guard let custodian = vault.policy.custodian(fingerprint: approver.publicIdentity.fingerprint),
                    let envelope = vault.shares.envelope(for: custodian.fingerprint)
                else { preconditionFailure("\(approverName) holds no share of \(name)") }
                let share = try envelope.open(
                    with: approver,
                    shareSet: vault.shares,
                    vaultID: vault.id.bytes,
                    generation: vault.generation
                )
                approvals.append(
                    try UnlockApproval.seal(
                        [.init(target: request.targets[0], x: custodian.x, share: share)],
                        for: request,
                        by: approver,
                        at: store.clock.now
                    )
                )
            }
            // The execution (`escrow unlock open`): unseal the request key, one X25519 per approval, one combine with
            // its key check, one split (key check, key pair, one X25519 per custodian), one fsync'ed commit.
            try store.withLock { (session) throws(EscrowError) in
                var vault = try session.vault(named: name, roster: try session.roster())
                let requestKey = try request.ephemeralKeyPair(for: alice)
                var shares: [MasterKey.Share] = []
                for approval in approvals {
                    guard let sealed = approval.shares.first else { preconditionFailure("empty approval") }
                    shares.append(
                        MasterKey.Share(x: sealed.x, value: try approval.open(sealed, requestKey: requestKey))
                    )
                }
                let masterKey = try MasterKey.combine(shares, publicKey: vault.publicKey.bytes)
                var rng = StreamRandom()
                try vault.reshare(to: policy, masterKey: masterKey, at: store.clock.now, using: &rng)
                try vault.sign(by: alice, at: store.clock.now)
                try session.commit(
                    [FileChange(path: Vault.relativePath(name: name), contents: try vault.encoded())],
                    action: .vaultReshare,
                    vault: vault.reference,
                    reason: request.reason,
                    details: ["request_id": request.id.description, "new_generation": String(vault.generation)],
                    actor: alice
                )
            }
        }
        bobIsIn.toggle()
    }
}
