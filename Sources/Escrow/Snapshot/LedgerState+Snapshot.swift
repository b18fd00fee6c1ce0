/// The fold state's part of a ``FoldSnapshot``: every member of ``LedgerState`` and of the states it holds, in a
/// fixed order (dictionaries and sets sorted by key, so that equal states encode alike). Request bodies, which are
/// few, are kept as their canonical JSON.
extension SnapshotWriter {
    /// Writes `state`.
    mutating func state(_ state: LedgerState) {
        fixed(state.storeID)
        string(state.storeName)
        id(state.genesis)
        count(state.rosterQuorum)
        id(state.rosterHead)
        let members = state.members.values.sorted {
            $0.identity.signingKey.lexicographicallyPrecedes($1.identity.signingKey)
        }
        count(members.count)
        for member in members {
            string(member.identity.name)
            string(member.identity.email)
            fixed(member.identity.signingKey)
            string(member.role.rawValue)
            id(member.addedBy)
        }
        keys(state.formerKeys)
        // Sorted by key bytes, each vault a record: a warm open finds and decodes only the vaults a command reads.
        let vaults = state.vaults.sorted
        count(vaults.count)
        for (key, vault) in vaults {
            string(key)
            record { $0.vault(vault) }
        }
        let names = state.vaultNames.sorted
        count(names.count)
        for (name, id) in names {
            string(name)
            string(id)
        }
        count(state.versionIDs.count)
        for id in state.versionIDs.sorted { data(id) }
        let requests = state.requests.values.sorted { $0.event < $1.event }
        count(requests.count)
        for request in requests { self.request(request) }
        keys(state.requestIDs)
        count(state.findings.count)
        for finding in state.findings {
            id(finding.event)
            string(finding.type)
            string(finding.author)
            string(finding.message)
            bool(finding.isViolation)
        }
        let latest = state.latestByAuthor.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        count(latest.count)
        for (key, event) in latest {
            data(key)
            id(event)
        }
        count(state.eventCount)
    }

    private mutating func keys(_ keys: Set<[UInt8]>) {
        count(keys.count)
        for key in keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) { data(key) }
    }

    private mutating func policy(_ policy: PolicyRecord) {
        shared { $0.rawPolicy(policy) }
    }

    private mutating func rawPolicy(_ policy: PolicyRecord) {
        count(policy.threshold)
        count(policy.custodians.count)
        for custodian in policy.custodians {
            string(custodian.name)
            data(custodian.key.bytes)
            byte(custodian.x)
        }
    }

    private mutating func vault(_ vault: VaultState) {
        data(vault.reference.id.bytes)
        string(vault.reference.name)
        stringMap(vault.metadata)
        id(vault.created)
        string(vault.creator)
        int64(vault.generation)
        policy(vault.policy)
        count(vault.policies.count)
        for (generation, policy) in vault.policies.sorted(by: { $0.key < $1.key }) {
            int64(generation)
            self.policy(policy)
        }
        string(vault.status.rawValue)
        shared { $0.keys(vault.acknowledged) }
        count(vault.entries.count)
        for (entry, versions) in vault.entries.sorted(by: { $0.key < $1.key }) {
            string(entry)
            count(versions.count)
            for version in versions { self.version(version) }
        }
    }

    private mutating func version(_ version: VersionState) {
        data(version.id)
        string(version.entry)
        string(version.kind.rawValue)
        id(version.deposit)
        string(version.depositor)
        int64(version.depositedAt.secondsSinceEpoch)
        stringMap(version.metadata)
        data(version.commitment)
        int64(version.generation)
        count(version.threshold)
        shared { writer in
            writer.count(version.holders.count)
            for (x, key) in version.holders.sorted(by: { $0.key < $1.key }) {
                writer.byte(x)
                writer.data(key)
            }
        }
        count(version.levels.count)
        for level in version.levels {
            id(level.resplit)
            data(level.contributors)
            count(level.threshold)
            bool(level.resolved != nil)
            if let resolved = level.resolved { data(resolved) }
        }
        switch version.source {
        case .dealt:
            byte(0)
        case .resplit(let request, let contributions):
            byte(1)
            id(request)
            count(contributions.count)
            for (x, approval) in contributions.sorted(by: { $0.key < $1.key }) {
                byte(x)
                id(approval)
            }
        }
        bool(version.isSuperseded)
    }

    /// A request body: `1` then its fields (targets with their policies shared: a bulk re-split over 10,000 vaults
    /// names a few policies), or — for a body the fields cannot restore exactly (a target policy whose custodians are
    /// not in x order, which ``PolicyRecord/init(threshold:custodians:)`` would sort) — `0` then its canonical JSON.
    private mutating func requestBody(_ body: RequestBody) {
        let restorable = body.targets.allSatisfy { target in
            guard let custodians = target.policy?.custodians else { return true }
            return zip(custodians, custodians.dropFirst()).allSatisfy { $0.x < $1.x }
        }
        guard restorable else {
            byte(0)
            data((try? JSONWriter.canonical(JSONCoding.encode(body))) ?? [])
            return
        }
        byte(1)
        data(body.request.bytes)
        string(body.action.rawValue)
        count(body.targets.count)
        for target in body.targets {
            data(target.vault.id.bytes)
            string(target.vault.name)
            int64(target.generation)
            count(target.versions.count)
            for version in target.versions { data(version.bytes) }
            if let policy = target.policy {
                bool(true)
                self.policy(policy)
            } else {
                bool(false)
            }
        }
        if let recipient = body.recipient {
            bool(true)
            string(recipient.name)
            data(recipient.key.bytes)
        } else {
            bool(false)
        }
        string(body.reason)
        int64(body.expiresAt.secondsSinceEpoch)
        bool(body.force)
        count(body.challenges.count)
        for challenge in body.challenges {
            data(challenge.key.bytes)
            data(challenge.sealed.bytes)
            data(challenge.check.bytes)
        }
    }

    private mutating func request(_ request: RequestState) {
        id(request.event)
        string(request.requester)
        data(request.requesterKey)
        int64(request.time.secondsSinceEpoch)
        requestBody(request.body)
        let approvals = request.approvals.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        count(approvals.count)
        for (key, approval) in approvals {
            data(key)
            id(approval)
        }
        keys(request.acknowledged)
        optionalID(request.execution)
    }
}

extension SnapshotReader {
    private static func malformed(_ what: String) -> EscrowError {
        EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
    }

    /// Reads a state written by ``SnapshotWriter/state(_:)``.
    mutating func state() throws(EscrowError) -> LedgerState {
        let storeID = try fixed(Event.storeIDByteCount)
        let storeName = try string()
        let genesis = try id()
        let rosterQuorum = try count()
        let rosterHead = try id()
        var members: [[UInt8]: MemberState] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 32)) {
            let name = try string()
            let email = try string()
            let key = try fixed(32)
            guard let role = MemberRole(rawValue: try string()) else { throw Self.malformed("an unknown role") }
            let identity = try PublicIdentity(name: name, email: email, signingKey: key)
            members[key] = MemberState(identity: identity, role: role, addedBy: try id())
        }
        let formerKeys = try keys()
        let (vaults, vaultNames, versionIDs) = try restoredTables()
        var requests: [EventID: RequestState] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 32)) {
            let request = try request()
            requests[request.event] = request
        }
        let requestIDs = try keys()
        var findings: [Finding] = []
        let findingCount = try count(ofItemsAtLeast: 32)
        findings.reserveCapacity(findingCount)
        for _ in 0..<findingCount {
            let event = try id()
            let type = try string()
            let author = try string()
            let message = try string()
            findings.append(
                Finding(event: event, type: type, author: author, message: message, isViolation: try bool())
            )
        }
        var latestByAuthor: [[UInt8]: EventID] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 32)) {
            let key = try data()
            latestByAuthor[key] = try id()
        }
        let eventCount = try count()
        return LedgerState(
            storeID: storeID,
            storeName: storeName,
            genesis: genesis,
            rosterQuorum: rosterQuorum,
            rosterHead: rosterHead,
            members: members,
            formerKeys: formerKeys,
            vaults: vaults,
            vaultNames: vaultNames,
            versionIDs: versionIDs,
            requests: requests,
            requestIDs: requestIDs,
            findings: findings,
            latestByAuthor: latestByAuthor,
            eventCount: eventCount
        )
    }

    /// The vaults, their names and the version ids, left encoded: each vault record is checked (``checkVault()``),
    /// so that decoding it when it is read cannot fail.
    private mutating func restoredTables() throws(EscrowError) -> (
        StateDictionary<VaultState>, StateDictionary<String>, StateKeySet
    ) {
        guard let tables else { throw Self.malformed("the state outside the tables") }
        var keys: [Range<Int>] = []
        var values: [Range<Int>] = []
        let vaultCount = try count(ofItemsAtLeast: 2)
        keys.reserveCapacity(vaultCount)
        values.reserveCapacity(vaultCount)
        for _ in 0..<vaultCount {
            keys.append(try tables.string(try count()))
            let record = try record()
            try check(record) { (reader) throws(EscrowError) in try reader.checkVault() }
            values.append(record)
        }
        let vaults = StateDictionary<VaultState>(
            archive: .init(
                records: try SnapshotRecords(tables: tables, keys: keys, values: values),
                decode: { tables, record in
                    var reader = SnapshotReader(record: record, tables: tables)
                    return try? reader.vault()
                }
            )
        )
        keys = []
        values = []
        let nameCount = try count(ofItemsAtLeast: 2)
        for _ in 0..<nameCount {
            keys.append(try tables.string(try count()))
            values.append(try tables.string(try count()))
        }
        let names = StateDictionary<String>(
            archive: .init(
                records: try SnapshotRecords(tables: tables, keys: keys, values: values),
                decode: { tables, string in String(decoding: tables.bytes[string], as: UTF8.self) }
            )
        )
        keys = []
        let idCount = try count(ofItemsAtLeast: 1)
        for _ in 0..<idCount { keys.append(try tables.blob(try count())) }
        let ids = StateKeySet(
            archive: try SnapshotRecords(tables: tables, keys: keys, values: Array(repeating: 0..<0, count: idCount))
        )
        return (vaults, names, ids)
    }

    private mutating func keys() throws(EscrowError) -> Set<[UInt8]> {
        let count = try count(ofItemsAtLeast: 1)
        var keys = Set<[UInt8]>(minimumCapacity: count)
        for _ in 0..<count { keys.insert(try data()) }
        return keys
    }

    private mutating func policy() throws(EscrowError) -> PolicyRecord {
        try shared { (reader) throws(EscrowError) in try reader.rawPolicy() }
    }

    private mutating func rawPolicy() throws(EscrowError) -> PolicyRecord {
        let threshold = try count()
        var custodians: [PolicyRecord.Custodian] = []
        for _ in 0..<(try count(ofItemsAtLeast: 3)) {
            let name = try string()
            let key = try data()
            custodians.append(PolicyRecord.Custodian(name: name, key: key, x: try byte()))
        }
        return PolicyRecord(threshold: threshold, custodians: custodians)
    }

    private mutating func vault() throws(EscrowError) -> VaultState {
        let reference = VaultReference(id: try data(), name: try string())
        let metadata = try stringMap()
        let created = try id()
        let creator = try string()
        let generation = try int64()
        let policy = try policy()
        var policies: [Int64: PolicyRecord] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 10)) {
            let key = try int64()
            policies[key] = try self.policy()
        }
        guard let status = VaultStatus(rawValue: try string()) else { throw Self.malformed("an unknown status") }
        let acknowledged = try shared { (reader) throws(EscrowError) in try reader.keys() }
        var entries: [String: [VersionState]] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 2)) {
            let entry = try string()
            var versions: [VersionState] = []
            for _ in 0..<(try count(ofItemsAtLeast: 32)) { versions.append(try version()) }
            entries[entry] = versions
        }
        return VaultState(
            reference: reference,
            metadata: metadata,
            created: created,
            creator: creator,
            generation: generation,
            policy: policy,
            policies: policies,
            status: status,
            acknowledged: acknowledged,
            entries: entries
        )
    }

    private mutating func version() throws(EscrowError) -> VersionState {
        let id = try data()
        let entry = try string()
        guard let kind = EntryKind(rawValue: try string()) else { throw Self.malformed("an unknown entry kind") }
        let deposit = try self.id()
        let depositor = try string()
        let depositedAt = UTCTime(secondsSinceEpoch: try int64())
        let metadata = try stringMap()
        let commitment = try data()
        let generation = try int64()
        let threshold = try count()
        let holders = try shared { (reader) throws(EscrowError) in try reader.holders() }
        var levels: [SharingLevelState] = []
        for _ in 0..<(try count(ofItemsAtLeast: 32)) {
            let resplit = try self.id()
            let contributors = try data()
            let levelThreshold = try count()
            let resolved = try bool() ? try data() : nil
            levels.append(
                SharingLevelState(
                    resplit: resplit,
                    contributors: contributors,
                    threshold: levelThreshold,
                    resolved: resolved
                )
            )
        }
        let source: VersionState.Source
        switch try byte() {
        case 0:
            source = .dealt
        case 1:
            let request = try self.id()
            var contributions: [UInt8: EventID] = [:]
            for _ in 0..<(try count(ofItemsAtLeast: 33)) {
                let x = try byte()
                contributions[x] = try self.id()
            }
            source = .resplit(request: request, contributions: contributions)
        default:
            throw Self.malformed("an unknown version source")
        }
        return VersionState(
            id: id,
            entry: entry,
            kind: kind,
            deposit: deposit,
            depositor: depositor,
            depositedAt: depositedAt,
            metadata: metadata,
            commitment: commitment,
            generation: generation,
            threshold: threshold,
            holders: holders,
            levels: levels,
            source: source,
            isSuperseded: try bool()
        )
    }

    private mutating func holders() throws(EscrowError) -> [UInt8: [UInt8]] {
        var holders: [UInt8: [UInt8]] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 2)) {
            let x = try byte()
            holders[x] = try data()
        }
        return holders
    }

    // MARK: Checking a vault record without decoding it

    /// Checks a vault record as ``vault()`` reads it, making only what recurs (shared values, once per snapshot) and
    /// the few metadata maps: every count, index, flag and kind. ``vault()`` does not fail on a record this accepts
    /// (tested with corrupted records), which is what lets ``StateDictionary`` decode a restored vault when read.
    mutating func checkVault() throws(EscrowError) {
        try skipData()
        try skipString()
        try checkStringMap()
        try skipID()
        try skipString()
        try skipInt64()
        try checkShared(kind: 1) { (reader) throws(EscrowError) in try reader.rawPolicy() }
        for _ in 0..<(try count(ofItemsAtLeast: 10)) {
            try skipInt64()
            try checkShared(kind: 1) { (reader) throws(EscrowError) in try reader.rawPolicy() }
        }
        guard VaultStatus(rawValue: try string()) != nil else { throw Self.malformed("an unknown status") }
        try checkShared(kind: 2) { (reader) throws(EscrowError) in try reader.keys() }
        for _ in 0..<(try count(ofItemsAtLeast: 2)) {
            try skipString()
            for _ in 0..<(try count(ofItemsAtLeast: 32)) { try checkVersion() }
        }
    }

    private mutating func checkVersion() throws(EscrowError) {
        try skipData()
        try skipString()
        guard EntryKind(rawValue: try string()) != nil else { throw Self.malformed("an unknown entry kind") }
        try skipID()
        try skipString()
        try skipInt64()
        try checkStringMap()
        try skipData()
        try skipInt64()
        _ = try count()
        try checkShared(kind: 4) { (reader) throws(EscrowError) in try reader.holders() }
        for _ in 0..<(try count(ofItemsAtLeast: 32)) {
            try skipID()
            try skipData()
            _ = try count()
            if try bool() { try skipData() }
        }
        switch try byte() {
        case 0:
            break
        case 1:
            try skipID()
            for _ in 0..<(try count(ofItemsAtLeast: 33)) {
                _ = try byte()
                try skipID()
            }
        default:
            throw Self.malformed("an unknown version source")
        }
        _ = try bool()
    }

    private mutating func checkStringMap() throws(EscrowError) {
        // Decoded (it checks that no key repeats), but most maps are empty.
        _ = try stringMap()
    }

    private mutating func skipString() throws(EscrowError) {
        guard let tables else {
            _ = try string()
            return
        }
        _ = try tables.string(try count())
    }

    private mutating func skipData() throws(EscrowError) {
        guard let tables else {
            _ = try data()
            return
        }
        _ = try tables.blob(try count())
    }

    private mutating func skipID() throws(EscrowError) { _ = try skip(EventID.byteCount) }

    private mutating func skipInt64() throws(EscrowError) { _ = try skip(8) }

    /// A request body written by ``SnapshotWriter``'s `requestBody(_:)`.
    private mutating func requestBody() throws(EscrowError) -> RequestBody {
        switch try byte() {
        case 0:
            let bytes = try data()
            return try JSONCoding.decode(
                RequestBody.self,
                from: try JSONParser.parse(bytes, source: "the fold snapshot"),
                source: "the fold snapshot"
            )
        case 1:
            let request = try data()
            guard let action = RequestAction(rawValue: try string()) else { throw Self.malformed("a request action") }
            var targets: [RequestTarget] = []
            for _ in 0..<(try count(ofItemsAtLeast: 5)) {
                let vault = VaultReference(id: try data(), name: try string())
                let generation = try int64()
                var versions: [[UInt8]] = []
                for _ in 0..<(try count(ofItemsAtLeast: 1)) { versions.append(try data()) }
                let policy = try bool() ? try self.policy() : nil
                targets.append(RequestTarget(vault: vault, generation: generation, versions: versions, policy: policy))
            }
            let recipient = try bool() ? RequestRecipient(name: try string(), key: try data()) : nil
            let reason = try string()
            let expiresAt = UTCTime(secondsSinceEpoch: try int64())
            let force = try bool()
            var challenges: [CustodyChallenge] = []
            for _ in 0..<(try count(ofItemsAtLeast: 3)) {
                challenges.append(CustodyChallenge(key: try data(), sealed: try data(), check: try data()))
            }
            return RequestBody(
                request: request,
                action: action,
                targets: targets,
                recipient: recipient,
                reason: reason,
                expiresAt: expiresAt,
                force: force,
                challenges: challenges
            )
        default:
            throw Self.malformed("a request body's form")
        }
    }

    private mutating func request() throws(EscrowError) -> RequestState {
        let event = try id()
        let requester = try string()
        let requesterKey = try data()
        let time = UTCTime(secondsSinceEpoch: try int64())
        let body = try requestBody()
        var approvals: [[UInt8]: EventID] = [:]
        for _ in 0..<(try count(ofItemsAtLeast: 33)) {
            let key = try data()
            approvals[key] = try id()
        }
        return RequestState(
            event: event,
            requester: requester,
            requesterKey: requesterKey,
            time: time,
            body: body,
            approvals: approvals,
            acknowledged: try keys(),
            execution: try optionalID()
        )
    }
}
