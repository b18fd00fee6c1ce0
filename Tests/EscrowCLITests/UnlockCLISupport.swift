import Escrow
import Foundation
import Sodium
import Testing

/// The store the unlock CLI tests act on, made with the Escrow library until the `vault …` and `custodian …`
/// commands land (swap this file for real commands at merge): five custodians (alice founded the store, roster
/// quorum 2) plus frank (a custodian outside the vault), a 3-of-5 vault `acme` acknowledged by all, a password and a
/// TOTP seed deposited by alice. Every identity is also written as `NAME.id` (minimal KDF, passphrase in
/// `NAME.pass`) so the binary can use it, and the store is pinned with `escrow store trust`.
final class UnlockCLISupport {
    let fixture: StoreCLIFixture
    let people: [String: CustodianIdentity]
    /// The customer of releases (not a member).
    let customer: CustodianIdentity
    private(set) var ledger: Ledger
    /// Setup events are dated a day ago, one second apart, so a test can add a request that already expired.
    private var seconds: Int64
    private var random = StreamRandom()

    static let password = "s3cret-root-password"
    static let seed = "JBSWY3DPEHPK3PXP"

    init(at path: String? = nil, fixture existing: StoreCLIFixture? = nil) throws {
        try Sodium.initialize()
        fixture = try existing ?? StoreCLIFixture()
        seconds = Int64(Date().timeIntervalSince1970) - 86_400
        var people: [String: CustodianIdentity] = [:]
        for name in StoreCLIFixture.custodians + ["frank"] {
            let identity = try CustodianIdentity(name: name, email: "\(name)@example.com")
            people[name] = identity
            let passphrase = SecureBytes(copying: Array("correct horse battery staple \(name)".utf8))
            let file = try IdentityFile.seal(
                identity,
                passphrase: passphrase,
                limits: KeyDerivationProfile.minimal.limits,
                createdAt: UTCTime(secondsSinceEpoch: seconds)
            )
            try Data(try file.encoded()).write(to: URL(fileURLWithPath: fixture.cli.path("\(name).id")))
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o600],
                ofItemAtPath: fixture.cli.path("\(name).id")
            )
        }
        self.people = people
        customer = try CustodianIdentity(name: "customer", email: "customer@example.com")
        let alice = try #require(people["alice"])
        ledger = try Ledger.create(
            at: path ?? fixture.store,
            founder: alice,
            storeName: "acme-msp",
            rosterQuorum: 2,
            time: UTCTime(secondsSinceEpoch: seconds)
        )
        for name in StoreCLIFixture.custodians.dropFirst() + ["frank"] {
            var change = try ledger.rosterChange(
                add: [MemberRecord(person(name).publicIdentity, role: .custodian)],
                remove: [],
                quorum: nil
            )
            let endorsers = ledger.state.custodians.map(\.identity.name).prefix(ledger.rosterEndorsementsNeeded)
            change.approvals = try endorsers.map { try ledger.endorse(change, by: person($0)) }
            try ledger.append([try ledger.event(.roster, body: change, by: alice, at: tick())])
        }
        let create = try ledger.createVault(
            named: "acme",
            metadata: ["account_id": "123456789012"],
            threshold: 3,
            custodians: StoreCLIFixture.custodians,
            by: alice,
            at: tick()
        )
        try ledger.append([create])
        for name in StoreCLIFixture.custodians {
            try ledger.append([try ledger.acknowledgeCustody(of: create.id, by: person(name), at: tick())])
        }
        try deposit(Self.password, entry: "root-password", kind: .password)
        try deposit(Self.seed, entry: "root-mfa", kind: .totp)
        try pin(path ?? fixture.store)
    }

    func cleanUp() { fixture.cleanUp() }

    func person(_ name: String) -> CustodianIdentity {
        guard let identity = people[name] else { preconditionFailure("no test identity \(name)") }
        return identity
    }

    /// The next setup time (a day ago, one second later each call).
    func tick() -> UTCTime {
        seconds += 1
        return UTCTime(secondsSinceEpoch: seconds)
    }

    /// The current time (for events added after the setup).
    func now() -> UTCTime { UTCTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    /// Pins a store directory with `escrow store trust --fingerprint`.
    func pin(_ path: String) throws {
        let genesis = try Ledger.open(at: path).state.genesis.fingerprint
        try fixture.succeed(["store", "trust", "--store", path, "--fingerprint", genesis])
    }

    /// Re-reads the store after the binary wrote to it.
    @discardableResult
    func reload(_ path: String? = nil) throws -> Ledger {
        ledger = try Ledger.open(at: path ?? fixture.store)
        return ledger
    }

    /// Deposits a value into `acme` as alice.
    @discardableResult
    func deposit(_ value: String, entry: String, kind: EntryKind) throws -> Event {
        let event = try ledger.deposit(
            SecureBytes(copying: Array(value.utf8)),
            into: "acme",
            entry: entry,
            kind: kind,
            by: person("alice"),
            at: tick(),
            random: &random
        )
        try ledger.append([event])
        return event
    }

    /// Appends a request made with the library (actions the `vault …` commands will request), by alice.
    ///
    /// - Parameters:
    ///   - action: The action.
    ///   - madeAt: The request time (default: now).
    ///   - expiresAt: The deadline (default: an hour after it was made).
    /// - Returns: The request event.
    @discardableResult
    func request(_ action: RequestAction, madeAt: UTCTime? = nil, expiresAt: UTCTime? = nil) throws -> Event {
        try reload()
        let time = madeAt ?? UTCTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        let vault = try #require(ledger.state.vault(named: "acme"))
        let target: RequestTarget
        var recipient: RequestRecipient?
        switch action {
        case .open:
            target = try ledger.versionsTarget(vault: "acme", entries: ["root-password"])
            recipient = RequestRecipient(name: "alice (request key)", key: BoxKeyPair().publicKey)
        case .release:
            target = try ledger.versionsTarget(vault: "acme", entries: [])
            recipient = RequestRecipient(name: "customer acme", key: try customer.boxKeyPair().publicKey)
        case .resplit:
            target = try ledger.resplitTarget(vault: "acme", remove: ["erin"], add: ["frank"], threshold: nil)
        case .close, .reopen:
            target = RequestTarget(vault: vault.reference, generation: vault.generation)
        }
        let event = try ledger.request(
            action,
            targets: [target],
            recipient: recipient,
            reason: "\(action.rawValue) for the tests",
            expiresAt: expiresAt ?? UTCTime(secondsSinceEpoch: time.secondsSinceEpoch + 3600),
            by: person("alice"),
            at: time
        )
        try ledger.append([event])
        return event
    }

    /// The relative path of an event file.
    static func file(of event: Event) -> String { Event.relativePath(of: event.id) }

    /// `--identity NAME.id --passphrase-file NAME.pass --store STORE`.
    func acting(_ name: String, store: String? = nil) -> [String] { fixture.acting(name, store: store) }

    /// Requests an open of acme (`entry`, or every entry when `nil`) for `reason` with the binary, as `requester`.
    ///
    /// - Returns: The request's full id.
    func request(_ entry: String? = "root-password", reason: String, by requester: String = "alice") throws -> String {
        try requestID(
            try fixture.succeed(
                ["unlock", "request", "acme"] + (entry.map { ["--entry", $0] } ?? []) + ["--reason", reason, "--json"]
                    + acting(requester)
            )
        )
    }

    /// Approves `request` with the binary as each of `names` (`--yes`, passphrase files).
    func approve(_ request: String, by names: [String]) throws {
        for name in names {
            try fixture.succeed(["unlock", "approve", request, "--yes"] + acting(name))
        }
    }

    /// A validly signed approval of an open by `cheat` whose share values are random (sealed correctly to the
    /// request's key, so only the depositor's digests can tell): what a dishonest custodian can send.
    func forgedApproval(of request: EventID, by cheat: String) throws -> Event {
        try reload()
        let state = try #require(ledger.state.requests[request])
        let recipient = try #require(state.body.recipient).key.bytes
        let identity = person(cheat)
        let held = HeldShares(graph: ledger.graph, state: ledger.state)
        let sealer = ShareSealer()
        var shares: [VersionComponents] = []
        for target in state.body.targets {
            let vault = try #require(ledger.state.vault(target.vault))
            for id in target.versions {
                let version = try #require(vault.version(id.bytes))
                let x = try #require(version.x(ofHolder: identity.publicIdentity.signingKey))
                var records: [SealedComponentRecord] = []
                for component in try held.open(version, in: vault.reference, x: x, boxKeys: try identity.boxKeyPair()) {
                    let position = try held.position(of: version, in: vault.reference, path: component.path, x: x)
                    let wrong = SecureBytes.random(count: component.value.count)
                    let sealed = try sealer.seal(wrong, position: position, recipientBoxKey: recipient)
                    records.append(SealedComponentRecord(x: x, path: component.path, sealed: sealed, digest: nil))
                }
                shares.append(VersionComponents(version: id.bytes, components: records))
            }
        }
        let body = ApprovalBody(
            request: request.bytes,
            ephemeralKey: sealer.ephemeralPublicKey,
            shares: shares,
            contributions: []
        )
        return try ledger.event(.approval, body: body, by: identity, at: now())
    }

    /// How many event files the store holds.
    func eventCount(_ path: String? = nil) throws -> Int {
        try Ledger.open(at: path ?? fixture.store).state.eventCount
    }
}

/// The request id a `--json` command printed.
func requestID(_ result: CLIHarness.Result) throws -> String {
    try #require(try jsonObject(result.stdout)["id"] as? String)
}
