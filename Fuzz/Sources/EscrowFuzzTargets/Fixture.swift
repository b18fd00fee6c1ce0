import CanonicalJSON
import Escrow
import Sodium

#if canImport(Glibc)
    import Glibc
#endif

/// A real v2 store made once per process through the public `Ledger` API, in a temporary directory: five
/// custodians (roster changes with endorsements), a 3-of-5 vault with every custody acknowledged, two deposits, an
/// open request with three approvals and its execution, a
/// release request with three approvals (and its customer bundle). Its events are the material of the event, mutation, bundle
/// and fold targets. Keys and the deposit randomness are fixed; vault, request and store ids come from libsodium, so
/// ids differ between processes (the properties do not depend on them).
struct Fixture: @unchecked Sendable {
    let events: [Event]
    let people: [CustodianIdentity]
    let bundle: CustomerBundle

    static let shared: Fixture = {
        do {
            return try Fixture()
        } catch {
            fail("fixture: \(error)")
        }
    }()

    func identity(for key: [UInt8]) -> CustodianIdentity? {
        people.first { $0.publicIdentity.signingKey == key }
    }

    private init() throws {
        _ = try Sodium.initialize()
        var template = Array("/tmp/escrow-fuzz-XXXXXX".utf8CString)
        let root = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let root else { fail("fixture: mkdtemp failed") }
        let names = ["alice", "bob", "carol", "dave", "erin"]
        let people = try names.enumerated().map { index, name in
            let seed = SecureBytes(copying: [UInt8](repeating: UInt8(index + 1), count: 32))
            return try CustodianIdentity(name: name, email: "\(name)@example.com", keyPair: SigningKeyPair(seed: seed))
        }
        var seconds: Int64 = 1_780_000_000
        func now() -> UTCTime {
            seconds += 1
            return UTCTime(secondsSinceEpoch: seconds)
        }
        var random = SeededSource(state: 7)
        let ledger = try Ledger.create(
            at: "\(root)/store",
            founder: people[0],
            storeName: "acme-msp",
            rosterQuorum: 2,
            time: now()
        )
        for person in people.dropFirst() {
            var change = try ledger.rosterChange(
                add: [MemberRecord(person.publicIdentity, role: .custodian)],
                remove: [],
                quorum: nil
            )
            let endorsers = ledger.state.custodians.map(\.identity.name).prefix(ledger.rosterEndorsementsNeeded)
            let signers = endorsers.compactMap { name in people.first { $0.publicIdentity.name == name } }
            change.approvals = try signers.map { try ledger.endorse(change, by: $0) }
            _ = try ledger.append([try ledger.event(.roster, body: change, by: signers.first ?? people[0], at: now())])
        }
        let create = try ledger.createVault(
            named: "acme",
            metadata: ["account_id": "123456789012"],
            threshold: 3,
            custodians: names,
            by: people[0],
            at: now()
        )
        _ = try ledger.append([create])
        for person in people {
            _ = try ledger.append([try ledger.acknowledgeCustody(of: create.id, by: person, at: now())])
        }
        for (entry, value, kind) in [
            ("root-password", "s3cret-root-password", EntryKind.password), ("root-mfa", "JBSWY3DPEHPK3PXP", .totp),
        ] {
            let event = try ledger.deposit(
                SecureBytes(copying: Array(value.utf8)),
                into: "acme",
                entry: entry,
                kind: kind,
                by: people[0],
                at: now(),
                random: &random
            )
            _ = try ledger.append([event])
        }
        let keys = try BoxKeyPair(secretKey: SecureBytes(copying: [UInt8](repeating: 9, count: 32)))
        let request = try ledger.request(
            .open,
            targets: [try ledger.versionsTarget(vault: "acme", entries: ["root-password", "root-mfa"])],
            recipient: RequestRecipient(name: "alice (request key)", key: keys.publicKey),
            reason: "billing dispute",
            expiresAt: UTCTime(secondsSinceEpoch: seconds + 3600),
            by: people[0],
            at: now()
        )
        _ = try ledger.append([request])
        for person in people.prefix(3) {
            _ = try ledger.append([try ledger.approve(request.id, by: person, at: now(), random: &random)])
        }
        let (_, execution) = try ledger.open(request.id, requestKeys: keys, by: people[0], at: now())
        _ = try ledger.append([execution])
        let customer = try BoxKeyPair(secretKey: SecureBytes(copying: [UInt8](repeating: 10, count: 32)))
        let release = try ledger.request(
            .release,
            targets: [try ledger.versionsTarget(vault: "acme", entries: ["root-password"])],
            recipient: RequestRecipient(name: "acme customer", key: customer.publicKey),
            reason: "contract ended",
            expiresAt: UTCTime(secondsSinceEpoch: seconds + 3600),
            by: people[1],
            at: now()
        )
        _ = try ledger.append([release])
        for person in people.suffix(3) {
            _ = try ledger.append([try ledger.approve(release.id, by: person, at: now(), random: &random)])
        }
        self.people = people
        bundle = try ledger.releaseBundle(for: release.id)
        events = ledger.graph.canonicalOrder.compactMap { ledger.graph.event($0) }
        require(ledger.state.violations.isEmpty, "fixture: violations \(ledger.state.violations)")
    }
}
